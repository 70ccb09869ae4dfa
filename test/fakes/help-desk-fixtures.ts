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
  /** created: a reply/note now exists; replayed: Zendesk idempotent replay; scripted: an injected failure; rejected: an auth/validation/not-found error; ok: anything else (e.g. a token). */
  outcome: "created" | "replayed" | "scripted" | "rejected" | "ok";
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

export interface FakeState {
  requests: FakeRecordedRequest[];
  created: FakeCreatedItem[];
}
