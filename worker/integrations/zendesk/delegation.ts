// Zendesk as a delegation provider: each person connects their own Zendesk
// identity, and replies they approve are posted with their token.
// https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce
// https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
// https://developer.zendesk.com/documentation/api-basics/authentication/revoking-oauth-token
export const zendeskDelegation = {
  id: "zendesk",
  name: "Zendesk",
  source: "zendesk",
  scopes: ["tickets:read", "tickets:write"],
  authorizePath: "/oauth/authorizations/new",
  tokenPath: "/oauth/tokens",
  revokePath: "/api/v2/oauth/tokens/current.json",
} as const;
