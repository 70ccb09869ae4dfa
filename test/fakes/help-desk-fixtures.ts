// What the fake help desks (test/fakes/help-desks.ts) accept and answer, shared
// by the Node-side fake and the tests that run inside workerd. No runtime imports.

export const FAKE_VENDORS = ["zendesk", "helpscout", "intercom", "front", "chatwoot", "zammad", "freshdesk"] as const;
export type FakeVendor = (typeof FAKE_VENDORS)[number];

/** The only credentials each fake accepts (anything else gets the vendor's 401). */
export const FAKE_HELPDESK_CREDENTIALS: Record<FakeVendor, Record<string, string>> = {
  zendesk: { email: "agent@example.com", api_token: "zd-Secr3t-token-1234" },
  helpscout: { app_id: "hs-app-4711", app_secret: "hs-Secr3t-app-5678" },
  intercom: { access_token: "ic-Secr3t-token-9012", admin_id: "814860" },
  front: { api_token: "fr-Secr3t-token-3456", author_id: "tea_6r55a" },
  chatwoot: { api_access_token: "cw-Secr3t-token-7890", account_id: "7" },
  zammad: { token: "zm-Secr3t-token-2345" },
  freshdesk: { api_key: "fd-Secr3t-key-6789" },
};

/**
 * The fake Zendesk's OAuth client (authorization code + PKCE, rotating refresh
 * tokens), entered as the connector's `oauth_client_id` / `oauth_client_secret`.
 */
export const FAKE_ZENDESK_OAUTH_CLIENT = { oauth_client_id: "support_triage_test", oauth_client_secret: "zd-oauth-Secr3t-4242" } as const;

/**
 * Who signs in at the fake Zendesk's authorization page: the `login_as` query
 * parameter the "browser" adds to the authorization URL, or this default.
 * `deny_scopes=a,b` grants the asked scopes minus those (the person unticked them).
 */
export const FAKE_ZENDESK_DEFAULT_LOGIN = "zd-user@example.com";

/** A token the fake Zendesk issued (for tests to check storage and rotation). */
export interface FakeIssuedToken {
  grant: string;
  user: string;
  scope: string;
  grantType: "authorization_code" | "refresh_token";
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A conversation / ticket id every fake answers "not found" for (Front: `cnv_404`). */
export const FAKE_MISSING_ID = "404";

/** One HTTP request as the fake received it (every attempt, including scripted failures). */
export interface FakeRecordedRequest {
  seq: number;
  vendor: FakeVendor;
  method: string;
  /** Path after the vendor prefix, e.g. `/api/v2/tickets/12`. */
  path: string;
  query: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON (or form fields), else the raw text; null when empty. */
  body: unknown;
  status: number;
  /** created: a reply/note now exists; written: a ticket's tags or priority changed (triage write-back); replayed: Zendesk idempotent replay; scripted: an injected failure; rejected: an auth/validation/not-found error; ok: anything else (e.g. a token, a read). */
  outcome: "created" | "written" | "replayed" | "scripted" | "rejected" | "ok";
}

/** A reply or note the fake help desk now holds (what a customer or agent would see). */
export interface FakeCreatedItem {
  vendor: FakeVendor;
  kind: "reply" | "note";
  conversationId: string;
  /** The body exactly as sent (HTML where the vendor takes HTML). */
  body: string;
  /** The id the fake answered with (what the connector should return as remoteId). */
  remoteId: string;
  /** Zendesk: who posted it: the API-token user (`api:<email>`) or the OAuth-delegated user (`oauth:<login>`). */
  author?: string;
}

export interface FakeScript {
  vendor: FakeVendor;
  status: number;
  times: number;
  /** Sent as the Retry-After header (seconds or an HTTP date). */
  retryAfter?: number | string;
  /** Only requests whose vendor path starts with this (default: any API request except Help Scout's token endpoint). */
  path?: string;
}

/** A ticket's tags and priority in the fake, as a write-back left them (priority in the vendor's own terms). */
export interface FakeTicketState {
  tags: string[];
  priority: string | number | null;
}

export interface FakeState {
  requests: FakeRecordedRequest[];
  created: FakeCreatedItem[];
  /** Zendesk OAuth tokens issued so far, oldest first. */
  issued: FakeIssuedToken[];
  /** Tickets the triage write-back touched (or a test seeded), by `vendor:id`. */
  tickets: Record<string, FakeTicketState>;
}
