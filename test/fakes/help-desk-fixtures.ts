// What the fake help desks (test/fakes/help-desks.ts) accept and answer, shared
// by the Node-side fake and the tests that run inside workerd. No runtime imports.

export const FAKE_VENDORS = ["zendesk", "helpscout", "intercom", "front", "chatwoot", "zammad", "freshdesk"] as const;
export type FakeVendor = (typeof FAKE_VENDORS)[number];

/** The only credentials each fake accepts (anything else gets the vendor's 401). */
export const FAKE_HELPDESK_CREDENTIALS: Record<FakeVendor, Record<string, string>> = {
  zendesk: { email: "agent@example.com", api_token: "zd-Secr3t-token-1234" },
  helpscout: { app_id: "hs-app-4711", app_secret: "hs-Secr3t-app-5678", docs_api_key: "hs-docs-Secr3t-9876" },
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

/** A person as the fakes' people endpoints know them (a null email: known without an address, like a chat visitor). */
export interface FakePerson {
  name: string;
  email: string | null;
}

/**
 * The people behind stand-in requesters, by vendor and id, as the fakes answer
 * Zendesk GET /api/v2/users/{id}, Intercom GET /contacts/{id} and Chatwoot
 * GET /api/v1/accounts/{account}/contacts/{id} (each in its own wire format).
 * Any other id answers 404 in the vendor's error shape.
 */
export const FAKE_PEOPLE: Record<"zendesk" | "intercom" | "chatwoot", Record<string, FakePerson>> = {
  zendesk: {
    "7000001": { name: "Dana Whitfield", email: "dana.whitfield@example.net" },
    "7000002": { name: "Jonas Berg", email: "jonas.berg@example.net" },
  },
  intercom: {
    "6650a1b2c3d4e5f6a7b8c9d1": { name: "Mia Rossi", email: "mia.rossi@example.org" },
    "6650a1b2c3d4e5f6a7b8c9d2": { name: "Website visitor", email: null },
  },
  chatwoot: {
    "512": { name: "Ana Souza", email: "ana.souza@example.com" },
  },
};

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

// ── Help Scout conversation threads ─────────────────────────────────────────

/** Threads a page in the fake's GET /v2/conversations/{id}/threads (Help Scout: 50), so tests see paging. */
export const FAKE_HELPSCOUT_THREADS_PAGE_SIZE = 2;

/**
 * The threads the fake Help Scout lists for any conversation but
 * FAKE_MISSING_ID, newest first as Help Scout lists them (Mailbox API "List
 * Threads" shape): the customer's follow-up, the agent's reply, and on the last
 * page the customer's first message.
 */
export const FAKE_HELPSCOUT_THREADS = [
  {
    id: 7310003,
    type: "customer",
    status: "active",
    state: "published",
    action: { type: "default", text: "", associatedEntities: {} },
    body: "<div>One more thing: the invoice PDF still shows our <b>old</b> address.</div>",
    source: { type: "email", via: "customer" },
    customer: { id: 238604, first: "Robin", last: "Bear", email: "bear@acme.com" },
    createdBy: { id: 238604, type: "customer", first: "Robin", last: "Bear", email: "bear@acme.com" },
    savedReplyId: 0,
    to: ["support@example.com"],
    cc: [],
    bcc: [],
    createdAt: "2026-11-30T14:40:00Z",
    _embedded: { attachments: [] },
  },
  {
    id: 7310002,
    type: "message",
    status: "active",
    state: "published",
    action: { type: "default", text: "", associatedEntities: {} },
    body: "<p>Thanks Robin, we are looking into it.</p>",
    source: { type: "email", via: "user" },
    customer: { id: 238604, first: "Robin", last: "Bear", email: "bear@acme.com" },
    createdBy: { id: 256, type: "user", first: "Mr", last: "Robot", email: "none@nowhere.com" },
    savedReplyId: 0,
    to: [],
    cc: [],
    bcc: [],
    createdAt: "2026-11-30T14:20:00Z",
    _embedded: { attachments: [] },
  },
  {
    id: 7310001,
    type: "customer",
    status: "active",
    state: "published",
    action: { type: "default", text: "", associatedEntities: {} },
    body: "<div>Hello,<br><br>we moved offices last month. I'm having a hard time changing the billing address on our account.</div><div>Robin</div>",
    source: { type: "email", via: "customer" },
    customer: { id: 238604, first: "Robin", last: "Bear", email: "bear@acme.com" },
    createdBy: { id: 238604, type: "customer", first: "Robin", last: "Bear", email: "bear@acme.com" },
    savedReplyId: 0,
    to: ["support@example.com"],
    cc: [],
    bcc: [],
    createdAt: "2026-11-30T14:05:00Z",
    _embedded: { attachments: [] },
  },
] as const;

// ── knowledge (help-center articles and saved replies) ─────────────────────

/**
 * One language version of a help-center article, vendor-neutral: each fake
 * renders these in its vendor's wire format and ids (FAKE_KNOWLEDGE_IDS).
 * `translationOf` names the doc this one translates: vendors that group
 * languages under one article (Zendesk, Intercom, Zammad, Front) give it that
 * article's id; the others (Help Scout, Freshdesk, Chatwoot) list it as an
 * article of its own.
 */
export interface FakeKnowledgeDoc {
  n: number;
  /** Two-letter language; each fake writes it as its vendor does ("en-us", "de-de", "de"). */
  lang: string;
  translationOf?: number;
  title: string;
  /** HTML (every vendor but Chatwoot). */
  html: string;
  /** Markdown (Chatwoot). */
  markdown: string;
  tags: string[];
  /** published: must be imported; draft and internal (agents only, archived or private) must not. */
  state: "published" | "draft" | "internal";
  updatedAt: string;
}

/** A saved reply (macro, canned response, text module, template), vendor-neutral. */
export interface FakeSavedReply {
  n: number;
  title: string;
  html: string;
  /** shared: must be imported; personal (one agent's own) and inactive must not. */
  state: "shared" | "personal" | "inactive";
  updatedAt: string;
}

export const FAKE_KNOWLEDGE_DOCS: readonly FakeKnowledgeDoc[] = [
  {
    n: 1,
    lang: "en",
    title: "Reset your password",
    html: '<h2>Reset your password</h2><ol><li>Open <b>Settings &rsaquo; Security</b>.</li><li>Choose <em>Reset password</em> &amp; follow the e-mail.</li></ol><script>alert("x")</script>',
    markdown: "## Reset your password\n\n1. Open **Settings › Security**.\n2. Choose *Reset password* & follow the e-mail.",
    tags: ["account", "password"],
    state: "published",
    updatedAt: "2025-03-01T10:00:00.000Z",
  },
  {
    n: 2,
    lang: "de",
    translationOf: 1,
    title: "Passwort zurücksetzen",
    html: "<h2>Passwort zurücksetzen</h2><p>Öffnen Sie <b>Einstellungen › Sicherheit</b> und wählen Sie <em>Passwort zurücksetzen</em>.</p>",
    markdown: "## Passwort zurücksetzen\n\nÖffnen Sie **Einstellungen › Sicherheit** und wählen Sie *Passwort zurücksetzen*.",
    tags: ["account", "password"],
    state: "published",
    updatedAt: "2025-03-02T10:00:00.000Z",
  },
  {
    n: 3,
    lang: "en",
    title: "Refunds and returns",
    html: '<p>We refund within <strong>14 days</strong>.</p><style>p{color:red}</style><p><a href="https://shop.example/returns">Start a return</a></p>',
    markdown: "We refund within **14 days**.\n\n[Start a return](https://shop.example/returns)",
    tags: ["billing"],
    state: "published",
    updatedAt: "2025-03-03T10:00:00.000Z",
  },
  {
    n: 4,
    lang: "en",
    title: "Shipping times",
    html: "<table><tr><td>EU</td><td>2-4 days</td></tr><tr><td>US</td><td>5-8 days</td></tr></table>",
    markdown: "| Region | Days |\n| --- | --- |\n| EU | 2-4 |\n| US | 5-8 |",
    tags: ["shipping"],
    state: "published",
    updatedAt: "2025-03-04T10:00:00.000Z",
  },
  {
    n: 5,
    lang: "en",
    title: "Upcoming pricing (draft)",
    html: "<p>Not announced yet.</p>",
    markdown: "Not announced yet.",
    tags: [],
    state: "draft",
    updatedAt: "2025-03-05T10:00:00.000Z",
  },
  {
    n: 6,
    lang: "en",
    title: "Escalation runbook (agents only)",
    html: "<p>Call the on-call engineer.</p>",
    markdown: "Call the on-call engineer.",
    tags: ["internal"],
    state: "internal",
    updatedAt: "2025-03-06T10:00:00.000Z",
  },
  {
    n: 7,
    lang: "fr",
    translationOf: 3,
    title: "Remboursements et retours",
    html: "<p>Brouillon.</p>",
    markdown: "Brouillon.",
    tags: ["billing"],
    state: "draft",
    updatedAt: "2025-03-07T10:00:00.000Z",
  },
];

export const FAKE_SAVED_REPLIES: readonly FakeSavedReply[] = [
  {
    n: 1,
    title: "Thanks for waiting",
    html: "<p>Hi {{name}},</p><p>Thanks for your patience &amp; sorry for the wait.</p>",
    state: "shared",
    updatedAt: "2025-02-01T09:00:00.000Z",
  },
  {
    n: 2,
    title: "Refund approved",
    html: "<p>Your refund is on its way: <b>3-5 business days</b>.</p>",
    state: "shared",
    updatedAt: "2025-02-02T09:00:00.000Z",
  },
  { n: 3, title: "Shipping delay", html: "<p>Your parcel is delayed<br>by a day.</p>", state: "shared", updatedAt: "2025-02-03T09:00:00.000Z" },
  { n: 4, title: "My own sign-off", html: "<p>Cheers, Sam</p>", state: "personal", updatedAt: "2025-02-04T09:00:00.000Z" },
  { n: 5, title: "Holiday hours 2019", html: "<p>We are closed.</p>", state: "inactive", updatedAt: "2025-02-05T09:00:00.000Z" },
];

/** The most items a fake knowledge list answers in one page, whatever is asked (so every list has pages). */
export const FAKE_KNOWLEDGE_PAGE_SIZE = 2;

/**
 * Each vendor's id of a doc's article and of a saved reply. Vendors that group
 * languages give a translation its source's id (`docId` follows `translationOf`).
 */
export const FAKE_KNOWLEDGE_IDS: Record<FakeVendor, { article(n: number): string; reply(n: number): string }> = {
  zendesk: { article: (n) => String(360_000 + n), reply: (n) => String(7_000 + n) },
  helpscout: { article: (n) => `5f${String(n).padStart(22, "0")}`, reply: (n) => String(12_000 + n) },
  intercom: { article: (n) => String(8_800 + n), reply: (n) => String(n) },
  freshdesk: { article: (n) => String(44_000 + n), reply: (n) => String(61_000 + n) },
  zammad: { article: (n) => String(10 + n), reply: (n) => String(30 + n) },
  chatwoot: { article: (n) => String(500 + n), reply: (n) => String(70 + n) },
  front: { article: (n) => `kba_${n.toString(36)}`, reply: (n) => `rsp_${n}` },
};

/** The doc whose vendor article holds `doc` where the vendor groups languages. */
export function sourceDocOf(doc: FakeKnowledgeDoc): number {
  return doc.translationOf ?? doc.n;
}

/**
 * POST /_fake/knowledge: what a test changes in one space of the fake's
 * knowledge (spaces: see help-desks.ts). `remove` drops docs and saved replies
 * (by `n`) as if deleted in the help desk; `reset` brings everything back;
 * `fail` makes the space's next knowledge requests answer an error.
 */
export interface FakeKnowledgeChange {
  vendor: FakeVendor;
  space: string;
  remove?: { docs?: number[]; replies?: number[] };
  reset?: boolean;
  fail?: { status: number; times: number; retryAfter?: number | string; path?: string };
}

/** A knowledge request one space of the fake received (GET /_fake/knowledge?vendor=&space=). */
export interface FakeKnowledgeRequest {
  vendor: FakeVendor;
  method: string;
  /** Path after the vendor prefix and the space, with its query. */
  path: string;
  headers: Record<string, string>;
  status: number;
}
