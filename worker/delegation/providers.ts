// The systems a person can connect their own identity for (OAuth authorization
// code with PKCE), so consequential actions taken on their approval run as them.
//
// Zendesk only, for now. The billing "system" the agent reads entitlements from
// is this app's own D1 tables (worker/billing/entitlements.ts): there is no
// outside identity to delegate there. Other help desks keep the account's
// shared credentials (docs/security.md, "Delegated tokens").
import type { SourceId } from "../connectors/types";

export interface DelegationProvider {
  id: DelegationProviderId;
  name: string;
  /** The connector whose settings hold the API base URL and the OAuth client. */
  source: SourceId;
  /** What we ask every person to grant. */
  scopes: readonly string[];
  /** Paths under the connector's API base URL. */
  authorizePath: string;
  tokenPath: string;
  /** Revokes the access token the request is made with (best effort). */
  revokePath: string;
}

// https://developer.zendesk.com/documentation/api-basics/authentication/oauth-pkce
// https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
// https://developer.zendesk.com/documentation/api-basics/authentication/revoking-oauth-token
const zendesk = {
  id: "zendesk",
  name: "Zendesk",
  source: "zendesk",
  scopes: ["tickets:read", "tickets:write"],
  authorizePath: "/oauth/authorizations/new",
  tokenPath: "/oauth/tokens",
  revokePath: "/api/v2/oauth/tokens/current.json",
} as const;

export const DELEGATION_PROVIDERS = { zendesk } as const satisfies Record<string, Omit<DelegationProvider, "id"> & { id: string }>;

export type DelegationProviderId = keyof typeof DELEGATION_PROVIDERS;

export const DELEGATION_PROVIDER_IDS = Object.keys(DELEGATION_PROVIDERS) as DelegationProviderId[];

export function isDelegationProvider(id: string): id is DelegationProviderId {
  return Object.hasOwn(DELEGATION_PROVIDERS, id);
}

export function delegationProvider(id: DelegationProviderId): DelegationProvider {
  return DELEGATION_PROVIDERS[id];
}

/** The provider whose delegated tokens replies to tickets from `source` can be sent with, if any. */
export function providerForSource(source: string): DelegationProviderId | null {
  return DELEGATION_PROVIDER_IDS.find((p) => DELEGATION_PROVIDERS[p].source === source) ?? null;
}
