// One local server that plays every help desk our outbound connectors talk to,
// each under its own prefix (/zendesk, /helpscout, /intercom, /front, /chatwoot,
// /zammad, /freshdesk), speaking the vendor's documented request and response
// shapes, errors included: it checks the vendor's auth header (401 in the
// vendor's error shape otherwise), checks the body (400/422 in the vendor's
// shape), answers "not found" for FAKE_MISSING_ID, records every request, and
// replays Zendesk responses for a repeated Idempotency-Key. Failures can be
// scripted per vendor/path ("the next N requests answer S, with Retry-After").
//
// Tests inside workerd drive it over HTTP:
//   GET  /_fake/requests[?vendor=v]   -> { requests, created }
//   POST /_fake/script                {vendor, status, times, retryAfter?, path?}
//   POST /_fake/reset                 forget everything
//   POST /_fake/revoke-tokens         invalidate issued Help Scout tokens
//   POST /_fake/zendesk-oauth         {accessTtl?, refreshTtl?}: lifetimes of the next Zendesk OAuth tokens (seconds)
//   POST /_fake/ticket                {vendor, id, tags?, priority?}: seeds a ticket's tags and priority
//   POST /_fake/knowledge             {vendor, space, remove?: {docs?, replies?}, reset?, fail?}: changes a
//        knowledge space: drops docs / saved replies (by `n`) as if deleted in the help desk, brings them
//        back, or makes the next N knowledge requests answer `fail.status` (with Retry-After)
//   GET  /_fake/knowledge?space=s[&vendor=v] -> { requests }: what that space received
//
// People behind stand-in requesters (FAKE_PEOPLE of help-desk-fixtures.ts), each
// vendor's auth checked, unknown ids 404 in the vendor's error shape:
//   Zendesk    GET /api/v2/users/{id}[.json]                 -> { user: { id, name, email, role, … } }
//   Intercom   GET /contacts/{id}                            -> { type: "contact", id, role, email, name, … }
//   Chatwoot   GET /api/v1/accounts/{account}/contacts/{id}  -> { payload: { id, name, email, phone_number, … } }
//
// Help Scout also lists a conversation's threads (GET /v2/conversations/{id}/threads,
// FAKE_HELPSCOUT_THREADS for every conversation, FAKE_HELPSCOUT_THREADS_PAGE_SIZE a page,
// `page` query, HAL `_links` and `page`), for payloads that come without them.
//
// Knowledge (help-center articles and saved replies, FAKE_KNOWLEDGE_DOCS and
// FAKE_SAVED_REPLIES of help-desk-fixtures.ts) in each vendor's wire format,
// auth checked as on its other endpoints, at most FAKE_KNOWLEDGE_PAGE_SIZE
// items a page (Help Scout Docs and mailboxes: 1), with drafts, agents-only
// and personal items the importers must leave out, HTML with markup and
// <script>/<style>, and German and French versions:
//   Zendesk    GET /api/v2/help_center/locales, /api/v2/help_center/{locale}/articles (cursor:
//              page[size], page[after], meta.has_more, links.next), /api/v2/macros (active=, page,
//              per_page, next_page)
//   Help Scout GET /docsapi/v1/collections, /docsapi/v1/collections/{id}/articles, /docsapi/v1/articles/{id}
//              (the Docs API, Basic with docs_api_key); /v2/mailboxes, /v2/mailboxes/{id}/saved-replies[/{id}]
//   Intercom   GET /articles (page, per_page, pages.total_pages, translated_content)
//   Freshdesk  GET /api/v2/solutions/categories[/{id}/folders], /api/v2/solutions/folders/{id}/articles,
//              /api/v2/canned_response_folders[/{id}/responses] (page, per_page, Link rel="next")
//   Zammad     POST /api/v1/knowledge_bases/init; GET /api/v1/knowledge_bases/1/answers/{id}?include_contents=,
//              /api/v1/locales, /api/v1/text_modules (page, per_page)
//   Chatwoot   GET /api/v1/accounts/{id}/portals, …/portals/{slug}/articles (locale, status, page),
//              …/canned_responses
//   Front      GET /knowledge_bases, /knowledge_bases/{id}/articles, /knowledge_base_articles/{id}/locales/{locale}/content,
//              /message_templates (limit, page_token, _pagination.next)
// Under /<vendor>/~<space>/… the same endpoints answer from that space alone:
// its own removals, failures and request log, untouched by /_fake/reset and
// /_fake/script and kept out of /_fake/requests, so test files running in
// parallel against one fake never meet. Without a space they behave like the
// other endpoints (recorded, scripted failures apply).
//
// The triage write-back endpoints keep each ticket's tags and priority (in
// `tickets` of /_fake/requests): Zendesk `additional_tags`/`priority` on the
// ticket update, Freshdesk GET/PUT ticket (tags replaced), Zammad tags/add and
// ticket priority by name, Help Scout GET conversation + PUT tags (replaced),
// Intercom POST /tags + attach by id, Front GET/POST /tags + attach by id,
// Chatwoot labels (replaced) and toggle_priority.
//
// Zendesk also plays its OAuth server (authorization code with PKCE):
//   GET  /zendesk/oauth/authorizations/new  auto-approves as `login_as` (default
//        FAKE_ZENDESK_DEFAULT_LOGIN), granting the asked scopes minus `deny_scopes`;
//        302 to redirect_uri with code and state
//   POST /zendesk/oauth/tokens              authorization_code (client secret + S256
//        code_verifier checked, a code works once) and refresh_token (rotating:
//        the refresh token used is dead afterwards)
//   DELETE /zendesk/api/v2/oauth/tokens/current.json  revokes the bearer token (and
//        the refresh token issued with it)
// and its ticket API takes `Authorization: Bearer <issued token>` (scopes
// checked, 403 otherwise) besides the API token, recording who posted.
// Node only; listens on 127.0.0.1.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  FAKE_HELPDESK_CREDENTIALS as CREDS,
  FAKE_HELPSCOUT_THREADS,
  FAKE_HELPSCOUT_THREADS_PAGE_SIZE,
  FAKE_KNOWLEDGE_DOCS,
  FAKE_KNOWLEDGE_IDS,
  FAKE_KNOWLEDGE_PAGE_SIZE,
  FAKE_MISSING_ID,
  FAKE_PEOPLE,
  FAKE_SAVED_REPLIES,
  FAKE_VENDORS,
  FAKE_ZENDESK_DEFAULT_LOGIN,
  type FakeCreatedItem,
  type FakeIssuedToken,
  type FakeKnowledgeChange,
  type FakeKnowledgeDoc,
  type FakeKnowledgeRequest,
  type FakeRecordedRequest,
  type FakeSavedReply,
  type FakeScript,
  type FakeTicketState,
  type FakeVendor,
  sourceDocOf,
  FAKE_ZENDESK_OAUTH_CLIENT as ZD_CLIENT,
} from "./help-desk-fixtures.ts";

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  created?: Omit<FakeCreatedItem, "vendor">;
  outcome?: FakeRecordedRequest["outcome"];
}

interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  /** The raw body, for Zendesk's idempotency comparison. */
  raw: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;
const isMissing = (id: string) => id === FAKE_MISSING_ID || id === `cnv_${FAKE_MISSING_ID}`;
const now = () => new Date().toISOString();

/** The error body each vendor sends for a status, in its documented shape. */
function vendorError(vendor: FakeVendor, status: number, message = STATUS_TEXT[status] ?? "Error", extra: Record<string, unknown> = {}): unknown {
  switch (vendor) {
    case "zendesk": // {error, description[, details]}
      return {
        error: status === 404 ? "RecordNotFound" : status === 422 ? "RecordInvalid" : status === 429 ? "TooManyRequests" : (STATUS_TEXT[status] ?? "Error"),
        description: message,
        ...extra,
      };
    case "helpscout": // application/vnd.error+json
      return { logRef: randomUUID(), message, ...extra, _links: { about: { href: "http://developer.helpscout.net/mailbox-api/overview/errors" } } };
    case "intercom": {
      const code =
        status === 401
          ? "unauthorized"
          : status === 404
            ? "not_found"
            : status === 429
              ? "rate_limit_exceeded"
              : status === 503
                ? "service_unavailable"
                : status >= 500
                  ? "server_error"
                  : "parameter_invalid";
      return { type: "error.list", request_id: randomUUID(), errors: [{ code, message, ...extra }] };
    }
    case "front":
      return { _error: { status, title: STATUS_TEXT[status] ?? "Error", message, ...extra } };
    case "chatwoot":
      return { error: message, ...extra };
    case "zammad":
      return { error: message, error_human: message, ...extra };
    case "freshdesk":
      return { code: status === 429 ? "rate_limit_exceeded" : status >= 500 ? "internal_error" : "invalid_request", message, ...extra };
  }
}

export interface FakeHelpDesks {
  url: string;
  server: Server;
  requests: FakeRecordedRequest[];
  created: FakeCreatedItem[];
  issued: FakeIssuedToken[];
  script(s: FakeScript): void;
  reset(): void;
}

export async function startFakeHelpDesks(): Promise<FakeHelpDesks> {
  const requests: FakeRecordedRequest[] = [];
  const created: FakeCreatedItem[] = [];
  let scripts: (FakeScript & { remaining: number })[] = [];
  // Zendesk keeps a key's response for 2 hours.
  const idempotency = new Map<string, { raw: string; reply: Reply; at: number }>();
  const helpscoutTokens = new Set<string>();
  /** Tickets' tags and priority as the triage write-back leaves them, by `vendor:id`. */
  const tickets = new Map<string, FakeTicketState>();
  /** Tag ids by `vendor:lowercased name`, and names by `vendor:id` (Intercom, Front). */
  const tagIds = new Map<string, string>();
  const tagNames = new Map<string, string>();
  let seq = 0;
  let nextId = 1000;
  const id = () => ++nextId;

  // Zendesk OAuth: one grant per authorization, its live access and refresh tokens.
  interface ZdGrant {
    id: string;
    user: string;
    scopes: string[];
  }
  const zd = {
    codes: new Map<string, { grant: ZdGrant; clientId: string; redirectUri: string; challenge: string; expiresAt: number; used: boolean }>(),
    /** Each access token with the refresh token issued with it (revoking one revokes both). */
    access: new Map<string, { grant: ZdGrant; expiresAt: number; refreshToken: string }>(),
    refresh: new Map<string, { grant: ZdGrant; expiresAt: number }>(),
    issued: [] as FakeIssuedToken[],
    accessTtl: 7200,
    refreshTtl: 30 * 86400,
  };

  const reset = () => {
    requests.length = 0;
    created.length = 0;
    scripts = [];
    idempotency.clear();
    helpscoutTokens.clear();
    tickets.clear();
    tagIds.clear();
    tagNames.clear();
    zd.codes.clear();
    zd.access.clear();
    zd.refresh.clear();
    zd.issued.length = 0;
    zd.accessTtl = 7200;
    zd.refreshTtl = 30 * 86400;
    // Knowledge without a space resets with everything else; named spaces are their tests' own.
    spaces.delete("");
  };

  const oauthError = (status: number, error: string, description: string): Reply => ({ status, body: { error, error_description: description } });

  const issue = (grant: ZdGrant, grantType: FakeIssuedToken["grantType"]): Reply => {
    const accessToken = `zdat_${randomUUID().replace(/-/g, "")}`;
    const refreshToken = `zdrt_${randomUUID().replace(/-/g, "")}`;
    zd.access.set(accessToken, { grant, expiresAt: Date.now() + zd.accessTtl * 1000, refreshToken });
    zd.refresh.set(refreshToken, { grant, expiresAt: Date.now() + zd.refreshTtl * 1000 });
    const scope = grant.scopes.join(" ");
    zd.issued.push({ grant: grant.id, user: grant.user, scope, grantType, accessToken, refreshToken, expiresIn: zd.accessTtl });
    return {
      status: 200,
      headers: { "cache-control": "no-store" },
      body: {
        access_token: accessToken,
        token_type: "bearer",
        scope,
        expires_in: zd.accessTtl,
        refresh_token: refreshToken,
        refresh_token_expires_in: zd.refreshTtl,
      },
    };
  };

  /** The Zendesk OAuth server: authorization page, token endpoint, revocation. Null for other paths. */
  const zendeskOAuth = (r: Req): Reply | null => {
    if (r.path === "/oauth/authorizations/new") {
      if (r.method !== "GET") return { status: 405, body: vendorError("zendesk", 404, "InvalidEndpoint") };
      const q = r.query;
      const redirectUri = q.get("redirect_uri") ?? "";
      if (q.get("client_id") !== ZD_CLIENT.oauth_client_id) return { status: 400, body: "Invalid OAuth client" };
      if (!/^https?:\/\//.test(redirectUri)) return { status: 400, body: "redirect_uri is required" };
      const back = new URL(redirectUri);
      const state = q.get("state");
      if (state !== null) back.searchParams.set("state", state);
      const deny = (error: string, description: string) => {
        back.searchParams.set("error", error);
        back.searchParams.set("error_description", description);
        return { status: 302, headers: { location: back.href } };
      };
      if (q.get("response_type") !== "code") return deny("unsupported_response_type", "response_type must be code");
      const challenge = q.get("code_challenge");
      if (!challenge || q.get("code_challenge_method") !== "S256") return deny("invalid_request", "PKCE with S256 is required");
      if (q.get("deny") !== null) return deny("access_denied", "The end-user or authorization server denied the request.");
      const denied = new Set((q.get("deny_scopes") ?? "").split(/[\s,]+/).filter(Boolean));
      const asked = (q.get("scope") ?? "").split(/\s+/).filter(Boolean);
      const grant: ZdGrant = { id: `grant_${id()}`, user: q.get("login_as") ?? FAKE_ZENDESK_DEFAULT_LOGIN, scopes: asked.filter((s) => !denied.has(s)) };
      const code = `zdcode_${randomUUID().replace(/-/g, "")}`;
      zd.codes.set(code, { grant, clientId: ZD_CLIENT.oauth_client_id, redirectUri, challenge, expiresAt: Date.now() + 5 * 60_000, used: false });
      back.searchParams.set("code", code);
      return { status: 302, headers: { location: back.href } };
    }
    if (r.path === "/oauth/tokens") {
      if (r.method !== "POST") return { status: 404, body: vendorError("zendesk", 404, "InvalidEndpoint") };
      const b = (isObj(r.body) ? r.body : {}) as Record<string, string>;
      // client_secret_post, or client_secret_basic.
      let clientId = b.client_id;
      let clientSecret = b.client_secret;
      const basicAuth = r.headers.authorization?.match(/^Basic (.+)$/)?.[1];
      if (basicAuth) [clientId, clientSecret] = Buffer.from(basicAuth, "base64").toString("utf8").split(":").map(decodeURIComponent);
      if (clientId !== ZD_CLIENT.oauth_client_id || clientSecret !== ZD_CLIENT.oauth_client_secret)
        return oauthError(401, "invalid_client", "Client authentication failed");
      if (b.grant_type === "authorization_code") {
        const entry = b.code ? zd.codes.get(b.code) : undefined;
        if (!entry || entry.used || entry.expiresAt < Date.now())
          return oauthError(400, "invalid_grant", "The authorization code is invalid, expired or already used");
        entry.used = true;
        if (entry.redirectUri !== b.redirect_uri) return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request");
        const computed = createHash("sha256")
          .update(b.code_verifier ?? "")
          .digest("base64url");
        if (!b.code_verifier || computed !== entry.challenge) return oauthError(400, "invalid_grant", "PKCE verification failed");
        return issue(entry.grant, "authorization_code");
      }
      if (b.grant_type === "refresh_token") {
        const entry = b.refresh_token ? zd.refresh.get(b.refresh_token) : undefined;
        if (!entry || entry.expiresAt < Date.now()) return oauthError(400, "invalid_grant", "The refresh token is invalid or expired");
        // Rotation: the refresh token used is dead from now on.
        zd.refresh.delete(b.refresh_token!);
        return issue(entry.grant, "refresh_token");
      }
      return oauthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
    }
    if (/^\/api\/v2\/oauth\/tokens\/current(\.json)?$/.test(r.path) && r.method === "DELETE") {
      const bearer = r.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
      const entry = bearer ? zd.access.get(bearer) : undefined;
      if (!entry) return { status: 401, body: { error: "invalid_token", description: "Invalid access token" } };
      zd.access.delete(bearer!);
      zd.refresh.delete(entry.refreshToken);
      return { status: 204 };
    }
    return null;
  };

  /** Who a Zendesk API request authenticates as, or the 401/403 answer. */
  const zendeskCaller = (r: Req, needs: string): { author: string } | Reply => {
    const auth = r.headers.authorization ?? "";
    const bearer = auth.match(/^Bearer (.+)$/)?.[1];
    if (bearer) {
      const entry = zd.access.get(bearer);
      if (!entry || entry.expiresAt < Date.now())
        return { status: 401, body: { error: "invalid_token", description: "The access token provided is expired, revoked, malformed or invalid" } };
      const action = needs.split(":")[1]!;
      if (!entry.grant.scopes.includes(needs) && !entry.grant.scopes.includes(action)) {
        return { status: 403, body: { error: "Forbidden", description: `You are missing the following required scopes: ${needs}` } };
      }
      return { author: `oauth:${entry.grant.user}` };
    }
    const c = CREDS.zendesk;
    if (auth !== basic(`${c.email}/token`, c.api_token!)) return { status: 401, body: { error: "Couldn't authenticate you" } };
    return { author: `api:${c.email}` };
  };

  /** Help Scout "List Threads": newest first, paged, `_embedded` absent on an empty page. */
  const helpscoutThreads = (convId: string, r: Req): Reply => {
    if (isMissing(convId)) return { status: 404, body: vendorError("helpscout", 404, "Conversation not found") };
    const size = FAKE_HELPSCOUT_THREADS_PAGE_SIZE;
    const all = FAKE_HELPSCOUT_THREADS;
    const pages = Math.max(1, Math.ceil(all.length / size));
    const n = Math.max(1, Math.floor(Number(r.query.get("page")) || 1));
    const items = all.slice((n - 1) * size, n * size);
    const href = (page: number) => ({ href: `https://api.helpscout.net/v2/conversations/${convId}/threads?page=${page}` });
    return {
      status: 200,
      body: {
        ...(items.length ? { _embedded: { threads: items } } : {}),
        _links: { self: href(n), first: href(1), last: href(pages), ...(n < pages ? { next: href(n + 1) } : {}), ...(n > 1 ? { previous: href(n - 1) } : {}) },
        page: { size, totalElements: all.length, totalPages: pages, number: n },
      },
    };
  };

  // ── triage write-back (tags, priority) ─────────────────────────────────
  // Each vendor's own endpoints for a ticket's tags and priority, holding a
  // ticket's state (seeded by POST /_fake/ticket) so tests see merges and
  // replacements as the vendor would do them.

  const ticketKey = (vendor: FakeVendor, ticketId: string) => `${vendor}:${ticketId}`;
  const ticketOf = (vendor: FakeVendor, ticketId: string): FakeTicketState => {
    const key = ticketKey(vendor, ticketId);
    let t = tickets.get(key);
    if (!t) {
      t = { tags: [], priority: null };
      tickets.set(key, t);
    }
    return t;
  };
  const addTags = (t: FakeTicketState, tags: string[]) => {
    for (const tag of tags) if (!t.tags.some((x) => x.toLowerCase() === tag.toLowerCase())) t.tags.push(tag);
  };
  const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
  /** One id per tag name and vendor (Intercom, Front tag by id). */
  const tagId = (vendor: FakeVendor, name: string, prefix = "") => {
    const key = `${vendor}:${name.toLowerCase()}`;
    let tid = tagIds.get(key);
    if (!tid) {
      tid = `${prefix}${id()}`;
      tagIds.set(key, tid);
      tagNames.set(`${vendor}:${tid}`, name);
    }
    return tid;
  };

  const triage: Partial<Record<FakeVendor, (r: Req) => Reply | null>> = {
    freshdesk(r) {
      const m = r.path.match(/^\/api\/v2\/tickets\/([^/]+)$/);
      if (!m || (r.method !== "GET" && r.method !== "PUT")) return null;
      const ticketId = decodeURIComponent(m[1]!);
      if (isMissing(ticketId)) return { status: 404, body: "" };
      const t = ticketOf("freshdesk", ticketId);
      const view = () => ({ id: Number(ticketId) || ticketId, subject: "Ticket", status: 2, priority: t.priority ?? 1, tags: [...t.tags], updated_at: now() });
      if (r.method === "GET") return { status: 200, body: view() };
      const b = isObj(r.body) ? r.body : {};
      const errors: { field: string; message: string; code: string }[] = [];
      if (b.tags !== undefined && !isStringList(b.tags)) errors.push({ field: "tags", message: "It should be an Array of Strings", code: "datatype_mismatch" });
      if (b.priority !== undefined && ![1, 2, 3, 4].includes(b.priority as number))
        errors.push({ field: "priority", message: "It should be one of these values: '1,2,3,4'", code: "invalid_value" });
      if (errors.length) return { status: 400, body: { description: "Validation failed", errors } };
      // Freshdesk replaces the ticket's tags with the list sent.
      if (b.tags !== undefined) t.tags = [...(b.tags as string[])];
      if (b.priority !== undefined) t.priority = b.priority as number;
      return { status: 200, body: view(), outcome: "written" };
    },

    zammad(r) {
      if (r.path === "/api/v1/tags/add" && r.method === "POST") {
        const b = isObj(r.body) ? r.body : {};
        if (b.object !== "Ticket") return { status: 422, body: vendorError("zammad", 422, `Unknown object '${String(b.object)}'`) };
        if (!nonEmpty(b.item)) return { status: 422, body: vendorError("zammad", 422, "Need item!") };
        if (b.o_id === undefined || b.o_id === null || b.o_id === "") return { status: 422, body: vendorError("zammad", 422, "Need o_id!") };
        const ticketId = String(b.o_id);
        if (isMissing(ticketId)) return { status: 404, body: vendorError("zammad", 404, `Couldn't find Ticket with 'id'=${ticketId}`) };
        addTags(ticketOf("zammad", ticketId), [b.item as string]);
        return { status: 201, body: true, outcome: "written" };
      }
      const m = r.path.match(/^\/api\/v1\/tickets\/([^/]+)$/);
      if (!m || r.method !== "PUT") return null;
      const ticketId = decodeURIComponent(m[1]!);
      if (isMissing(ticketId)) return { status: 404, body: vendorError("zammad", 404, `Couldn't find Ticket with 'id'=${ticketId}`) };
      const b = isObj(r.body) ? r.body : {};
      // The default priorities of a Zammad instance, looked up by name.
      const priorities: Record<string, number> = { "1 low": 1, "2 normal": 2, "3 high": 3 };
      if (b.priority !== undefined && !(String(b.priority) in priorities))
        return { status: 422, body: vendorError("zammad", 422, `No lookup value found for 'priority': ${JSON.stringify(b.priority)}`) };
      const t = ticketOf("zammad", ticketId);
      if (b.priority !== undefined) t.priority = String(b.priority);
      return {
        status: 200,
        body: { id: Number(ticketId) || ticketId, title: "Ticket", priority_id: t.priority ? priorities[t.priority as string] : 2, updated_at: now() },
        outcome: "written",
      };
    },

    helpscout(r) {
      const m = r.path.match(/^\/v2\/conversations\/([^/]+?)(\/tags)?$/);
      if (!m) return null;
      const convId = decodeURIComponent(m[1]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("helpscout", 404, "Conversation not found") };
      const t = ticketOf("helpscout", convId);
      if (!m[2] && r.method === "GET")
        return {
          status: 200,
          body: {
            id: Number(convId) || convId,
            number: 1,
            status: "active",
            tags: t.tags.map((tag) => ({ id: tagId("helpscout", tag), color: "#A5B2BD", tag })),
          },
        };
      if (m[2] && r.method === "PUT") {
        const b = isObj(r.body) ? r.body : {};
        if (!isStringList(b.tags))
          return {
            status: 400,
            body: vendorError("helpscout", 400, "Bad request", { _embedded: { errors: [{ path: "tags", message: "may not be null", source: "JSON" }] } }),
          };
        // Help Scout replaces the conversation's tags (lowercased, as the app does).
        t.tags = [...new Set((b.tags as string[]).map((x) => x.toLowerCase()))];
        return { status: 204, outcome: "written" };
      }
      return null;
    },

    intercom(r) {
      if (r.path === "/tags" && r.method === "POST") {
        const b = isObj(r.body) ? r.body : {};
        if (!nonEmpty(b.name)) return { status: 400, body: vendorError("intercom", 400, "name is required", { field: "name" }) };
        // Create or find by name: the same tag for the same name.
        return { status: 200, body: { type: "tag", id: tagId("intercom", b.name as string), name: b.name } };
      }
      const m = r.path.match(/^\/conversations\/([^/]+)\/tags$/);
      if (!m || r.method !== "POST") return null;
      const convId = decodeURIComponent(m[1]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("intercom", 404, "Conversation Not Found") };
      const b = isObj(r.body) ? r.body : {};
      if (!nonEmpty(b.admin_id)) return { status: 400, body: vendorError("intercom", 400, "admin_id is required", { field: "admin_id" }) };
      const name = nonEmpty(b.id) ? tagNames.get(`intercom:${b.id}`) : undefined;
      if (!name) return { status: 404, body: vendorError("intercom", 404, "Tag Not Found") };
      addTags(ticketOf("intercom", convId), [name]);
      return {
        status: 200,
        body: { type: "tag", id: b.id, name, applied_at: Math.floor(Date.now() / 1000), applied_by: { type: "admin", id: b.admin_id } },
        outcome: "written",
      };
    },

    front(r) {
      if (r.path === "/tags" && r.method === "GET") {
        const all = [...tagIds.entries()].filter(([k]) => k.startsWith("front:")).map(([, tid]) => ({ id: tid, name: tagNames.get(`front:${tid}`)! }));
        const limit = Math.min(Number(r.query.get("limit")) || 50, 100);
        const from = Number(r.query.get("page_token")) || 0;
        const page = all.slice(from, from + limit);
        const next = from + limit < all.length ? `https://example.api.frontapp.com/tags?limit=${limit}&page_token=${from + limit}` : null;
        return {
          status: 200,
          body: {
            _pagination: { next },
            _links: { self: "https://example.api.frontapp.com/tags" },
            _results: page.map((t) => ({ ...t, highlight: null, is_private: false })),
          },
        };
      }
      if (r.path === "/tags" && r.method === "POST") {
        const b = isObj(r.body) ? r.body : {};
        if (!nonEmpty(b.name)) return { status: 400, body: vendorError("front", 400, "name is required") };
        if (tagIds.has(`front:${(b.name as string).toLowerCase()}`))
          return { status: 409, body: vendorError("front", 409, `A tag named ${b.name} already exists`) };
        const tid = tagId("front", b.name as string, "tag_");
        return { status: 201, body: { id: tid, name: b.name, highlight: null, is_private: false } };
      }
      const m = r.path.match(/^\/conversations\/([^/]+)\/tags$/);
      if (!m || r.method !== "POST") return null;
      const convId = decodeURIComponent(m[1]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("front", 404, `Conversation ${convId} not found`) };
      const b = isObj(r.body) ? r.body : {};
      if (!isStringList(b.tag_ids) || b.tag_ids.length === 0) return { status: 400, body: vendorError("front", 400, "tag_ids must be a non-empty array") };
      const names = (b.tag_ids as string[]).map((tid) => tagNames.get(`front:${tid}`));
      if (names.some((n) => !n)) return { status: 404, body: vendorError("front", 404, "Tag not found") };
      addTags(ticketOf("front", convId), names as string[]);
      return { status: 204, outcome: "written" };
    },

    chatwoot(r) {
      const m = r.path.match(/^\/api\/v1\/accounts\/([^/]+)\/conversations\/([^/]+)\/(labels|toggle_priority)$/);
      if (!m) return null;
      if (decodeURIComponent(m[1]!) !== CREDS.chatwoot.account_id)
        return { status: 401, body: vendorError("chatwoot", 401, "You are not authorized to access this account") };
      const convId = decodeURIComponent(m[2]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("chatwoot", 404, "Resource could not be found") };
      const t = ticketOf("chatwoot", convId);
      const b = isObj(r.body) ? r.body : {};
      if (m[3] === "labels" && r.method === "GET") return { status: 200, body: { payload: [...t.tags] } };
      if (m[3] === "labels" && r.method === "POST") {
        if (!isStringList(b.labels)) return { status: 422, body: { message: "labels must be an array", attributes: ["labels"] } };
        // Chatwoot replaces the conversation's labels with the list sent.
        t.tags = [...(b.labels as string[])];
        return { status: 200, body: { payload: [...t.tags] }, outcome: "written" };
      }
      if (m[3] === "toggle_priority" && r.method === "POST") {
        if (!["urgent", "high", "medium", "low", "none"].includes(String(b.priority)))
          return { status: 422, body: { message: "Priority is not included in the list", attributes: ["priority"] } };
        t.priority = b.priority === "none" ? null : String(b.priority);
        return { status: 200, outcome: "written" };
      }
      return null;
    },
  };

  // ── knowledge (help-center articles and saved replies) ─────────────────
  // The vendor-neutral docs and saved replies of help-desk-fixtures.ts in each
  // vendor's list formats and pagination, at most FAKE_KNOWLEDGE_PAGE_SIZE
  // items a page (Help Scout Docs: 1). Each space keeps what tests removed and
  // the failures they scripted; /_fake/reset leaves spaces alone.

  interface KnowledgeSpace {
    removed: Set<string>;
    fails: (NonNullable<FakeKnowledgeChange["fail"]> & { vendor: FakeVendor; remaining: number })[];
    requests: FakeKnowledgeRequest[];
    /** Help Scout bearer tokens issued in this space: /_fake/reset and revoke-tokens leave them alone. */
    tokens: Set<string>;
  }
  const spaces = new Map<string, KnowledgeSpace>();
  const spaceOf = (name: string): KnowledgeSpace => {
    let s = spaces.get(name);
    if (!s) {
      s = { removed: new Set(), fails: [], requests: [], tokens: new Set() };
      spaces.set(name, s);
    }
    return s;
  };

  /** Vendors that keep a doc's languages under one article id. */
  const GROUPED: readonly FakeVendor[] = ["zendesk", "intercom", "zammad", "front"];
  const SIZE = FAKE_KNOWLEDGE_PAGE_SIZE;
  const KID = FAKE_KNOWLEDGE_IDS;
  const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
  const plain = (html: string) =>
    html
      .replace(/<br\s*\/?>/g, "\n")
      .replace(/<[^>]+>/g, "")
      .replace(/&amp;/g, "&");
  const pageOf = <T>(all: T[], page: number, size = SIZE) => ({
    items: all.slice((page - 1) * size, page * size),
    more: page * size < all.length,
    pages: Math.max(1, Math.ceil(all.length / size)),
  });
  const sizeOf = (q: URLSearchParams, name: string, cap = SIZE) => Math.min(Number(q.get(name)) || cap, cap);

  interface KnowledgeReq extends Req {
    space: KnowledgeSpace;
    /** Absolute URL of the vendor prefix (and space) on this server: next-page links start with it. */
    base: string;
  }

  const docsOf = (vendor: FakeVendor, k: KnowledgeSpace) =>
    FAKE_KNOWLEDGE_DOCS.filter(
      (d) => !k.removed.has(`${vendor}:doc:${d.n}`) && !(GROUPED.includes(vendor) && k.removed.has(`${vendor}:doc:${sourceDocOf(d)}`)),
    );
  const repliesOf = (vendor: FakeVendor, k: KnowledgeSpace) => FAKE_SAVED_REPLIES.filter((r) => !k.removed.has(`${vendor}:reply:${r.n}`));
  /** A grouped vendor's articles: the source docs, each with its languages. */
  const grouped = (vendor: FakeVendor, k: KnowledgeSpace) => {
    const docs = docsOf(vendor, k);
    return docs.filter((d) => !d.translationOf).map((src) => ({ src, langs: docs.filter((d) => sourceDocOf(d) === src.n) }));
  };

  const knowledge: Record<FakeVendor, (r: KnowledgeReq) => Reply | null> = {
    zendesk(r) {
      if (!/^\/api\/v2\/(help_center\/|macros)/.test(r.path)) return null;
      const caller = zendeskCaller(r, "hc:read");
      if ("status" in caller) return caller;
      const zdLocale = (lang: string) => (lang === "en" ? "en-us" : lang);
      if (/^\/api\/v2\/help_center\/locales(\.json)?$/.test(r.path)) return { status: 200, body: { locales: ["en-us", "de", "fr"], default_locale: "en-us" } };
      const m = r.path.match(/^\/api\/v2\/help_center\/([^/]+)\/articles(?:\.json)?$/);
      if (m) {
        const locale = decodeURIComponent(m[1]!);
        const all = docsOf("zendesk", r.space).filter((d) => zdLocale(d.lang) === locale);
        const size = sizeOf(r.query, "page[size]");
        const from = Number(r.query.get("page[after]")) || 0;
        const items = all.slice(from, from + size);
        const more = from + size < all.length;
        const list = `${r.base}/api/v2/help_center/${locale}/articles.json?page[size]=${size}`;
        return {
          status: 200,
          body: {
            articles: items.map((d) => {
              const articleId = KID.zendesk.article(sourceDocOf(d));
              const src = FAKE_KNOWLEDGE_DOCS.find((x) => x.n === sourceDocOf(d))!;
              return {
                id: Number(articleId),
                url: `https://example.zendesk.com/api/v2/help_center/${locale}/articles/${articleId}.json`,
                html_url: `https://example.zendesk.com/hc/${locale}/articles/${articleId}-${slug(d.title)}`,
                title: d.title,
                body: d.html,
                locale,
                source_locale: zdLocale(src.lang),
                label_names: d.tags,
                draft: d.state !== "published",
                section_id: 360_100,
                user_segment_id: null,
                created_at: "2025-01-01T00:00:00Z",
                edited_at: d.updatedAt,
                updated_at: d.updatedAt,
              };
            }),
            meta: { has_more: more, after_cursor: more ? String(from + size) : null, before_cursor: from ? String(Math.max(0, from - size)) : null },
            links: { first: list, last: null, next: more ? `${list}&page[after]=${from + size}` : null, prev: null },
          },
        };
      }
      if (!/^\/api\/v2\/macros(\.json)?$/.test(r.path) || r.method !== "GET") return { status: 404, body: vendorError("zendesk", 404, "InvalidEndpoint") };
      const macros = [
        ...repliesOf("zendesk", r.space).map((s) => ({
          id: Number(KID.zendesk.reply(s.n)),
          title: s.title,
          active: s.state !== "inactive",
          restriction: s.state === "personal" ? { type: "User", id: 381 } : null,
          // One macro writes plain text as [channel, text]; the others HTML.
          actions:
            s.n === 3
              ? [{ field: "comment_value", value: ["channel:all", plain(s.html)] }]
              : [
                  { field: "comment_value_html", value: s.html },
                  { field: "status", value: "pending" },
                ],
          updated_at: s.updatedAt,
        })),
        // Changes fields only: nothing to import.
        {
          id: 7_099,
          title: "Close and tag",
          active: true,
          restriction: null,
          actions: [{ field: "status", value: "solved" }],
          updated_at: "2025-02-09T09:00:00Z",
        },
      ].filter((m) => r.query.get("active") !== "true" || m.active);
      const n = Number(r.query.get("page")) || 1;
      const size = sizeOf(r.query, "per_page");
      const p = pageOf(macros, n, size);
      const active = r.query.get("active") ? `active=${r.query.get("active")}&` : "";
      return {
        status: 200,
        body: {
          macros: p.items,
          next_page: p.more ? `${r.base}/api/v2/macros.json?${active}page=${n + 1}&per_page=${size}` : null,
          previous_page: null,
          count: macros.length,
        },
      };
    },

    helpscout(r) {
      if (r.path.startsWith("/docsapi/")) return helpscoutDocs(r);
      // A named space keeps its own tokens, so another file's reset cannot revoke them mid-listing.
      const live = r.space === spaces.get("") ? helpscoutTokens : r.space.tokens;
      if (r.path === "/v2/oauth2/token") {
        const issued = handlers.helpscout(r);
        const token = isObj(issued.body) ? issued.body.access_token : undefined;
        if (typeof token === "string") live.add(token);
        return issued;
      }
      if (!r.path.startsWith("/v2/mailboxes")) return null;
      const bearer = r.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
      if (!bearer || !live.has(bearer)) return { status: 401, body: vendorError("helpscout", 401, "Invalid or expired access token") };
      const mailboxes = [301, 302];
      const replies = repliesOf("helpscout", r.space).filter((s) => s.state !== "inactive");
      if (r.path === "/v2/mailboxes") {
        const n = Number(r.query.get("page")) || 1;
        const p = pageOf(mailboxes, n, 1);
        return {
          status: 200,
          body: {
            _embedded: { mailboxes: p.items.map((id) => ({ id, name: `Mailbox ${id}`, slug: `mb${id}`, email: `support${id}@example.com` })) },
            _links: { self: { href: `${r.base}/v2/mailboxes?page=${n}` } },
            page: { size: 1, totalElements: mailboxes.length, totalPages: p.pages, number: n },
          },
        };
      }
      const m = r.path.match(/^\/v2\/mailboxes\/(\d+)\/saved-replies(?:\/(\d+))?$/);
      const mailbox = Number(m?.[1]);
      if (!m || !mailboxes.includes(mailbox)) return { status: 404, body: vendorError("helpscout", 404, "Mailbox not found") };
      // Odd replies live in the first mailbox, even ones in the second; a personal one is chat-only here.
      const mine = replies.filter((s) => (s.n % 2 === 1) === (mailbox === 301));
      const chatOnly = (s: FakeSavedReply) => s.state === "personal";
      if (!m[2]) {
        const withChat = r.query.get("includeChatReplies") === "true";
        return {
          status: 200,
          body: mine
            .filter((s) => withChat || !chatOnly(s))
            .map((s) => ({
              id: Number(KID.helpscout.reply(s.n)),
              name: s.title,
              ...(chatOnly(s) ? { chatPreview: plain(s.html) } : { preview: plain(s.html) }),
            })),
        };
      }
      const reply = mine.find((s) => KID.helpscout.reply(s.n) === m[2]);
      if (!reply) return { status: 404, body: vendorError("helpscout", 404, "Saved reply not found") };
      return {
        status: 200,
        body: { id: Number(m[2]), name: reply.title, ...(chatOnly(reply) ? {} : { text: reply.html }), chatText: plain(reply.html) },
      };
    },

    intercom(r) {
      if (r.path !== "/articles") return null;
      if (r.headers.authorization !== `Bearer ${CREDS.intercom.access_token}`)
        return { status: 401, body: vendorError("intercom", 401, "Access Token Invalid") };
      const articles = grouped("intercom", r.space).map(({ src, langs }) => {
        const id = KID.intercom.article(src.n);
        const content = (d: FakeKnowledgeDoc) => ({
          type: "article_content",
          title: d.title,
          description: "",
          body: d.html,
          author_id: 814_860,
          // Intercom's internal articles are another API: an agents-only doc is a draft here.
          state: d.state === "published" ? "published" : "draft",
          created_at: 1_735_689_600,
          updated_at: unix(d.updatedAt),
          url: `https://intercom.help/example/${d.lang}/articles/${id}-${slug(d.title)}`,
        });
        return {
          ...content(src),
          type: "article",
          id,
          workspace_id: "ws123",
          parent_id: 77,
          parent_type: "collection",
          default_locale: src.lang,
          translated_content: { type: "article_translated_content", ...Object.fromEntries(langs.map((d) => [d.lang, content(d)])) },
        };
      });
      const n = Number(r.query.get("page")) || 1;
      const size = sizeOf(r.query, "per_page");
      const p = pageOf(articles, n, size);
      return {
        status: 200,
        body: {
          type: "list",
          pages: { type: "pages", page: n, per_page: size, total_pages: p.pages, next: p.more ? `${r.base}/articles?page=${n + 1}&per_page=${size}` : null },
          total_count: articles.length,
          data: p.items,
        },
      };
    },

    freshdesk(r) {
      if (!/^\/api\/v2\/(solutions\/|canned_response_folders)/.test(r.path)) return null;
      if (r.headers.authorization !== basic(CREDS.freshdesk.api_key!, "X"))
        return { status: 401, body: { code: "invalid_credentials", message: "You have to be logged in to perform this action." } };
      const paged = <T>(all: T[]): Reply => {
        const n = Number(r.query.get("page")) || 1;
        const size = sizeOf(r.query, "per_page");
        const p = pageOf(all, n, size);
        const next = p.more ? `<${r.base}${r.path}?per_page=${size}&page=${n + 1}>; rel="next"` : undefined;
        return { status: 200, body: p.items, headers: next ? { link: next } : {} };
      };
      // Folders: 801 everyone, 802 agents only, 803 logged-in customers.
      const folderOf = (d: FakeKnowledgeDoc) => (d.state === "internal" ? 802 : sourceDocOf(d) === 1 ? 801 : 803);
      if (r.path === "/api/v2/solutions/categories")
        return paged([
          { id: 9_001, name: "General" },
          { id: 9_002, name: "Orders" },
        ]);
      const folders = r.path.match(/^\/api\/v2\/solutions\/categories\/(\d+)\/folders$/);
      if (folders) {
        const all: Record<string, { id: number; name: string; visibility: number }[]> = {
          "9001": [
            { id: 801, name: "Account", visibility: 1 },
            { id: 802, name: "Agents", visibility: 3 },
          ],
          "9002": [{ id: 803, name: "Orders", visibility: 2 }],
        };
        return all[folders[1]!] ? paged(all[folders[1]!]!) : { status: 404, body: "" };
      }
      const articles = r.path.match(/^\/api\/v2\/solutions\/folders\/(\d+)\/articles$/);
      if (articles) {
        const folder = Number(articles[1]);
        return paged(
          docsOf("freshdesk", r.space)
            .filter((d) => folderOf(d) === folder)
            .map((d) => ({
              id: Number(KID.freshdesk.article(d.n)),
              type: 1,
              category_id: folder === 803 ? 9_002 : 9_001,
              folder_id: folder,
              title: d.title,
              description: d.html,
              description_text: plain(d.html),
              status: d.state === "draft" ? 1 : 2,
              agent_id: 43,
              tags: d.tags,
              seo_data: {},
              hits: 0,
              created_at: "2025-01-01T00:00:00Z",
              updated_at: d.updatedAt,
            })),
        );
      }
      if (r.path === "/api/v2/canned_response_folders")
        return paged([
          { id: 71, name: "Shared", personal: false, responses_count: 3 },
          { id: 72, name: "Personal", personal: true, responses_count: 1 },
        ]);
      const responses = r.path.match(/^\/api\/v2\/canned_response_folders\/(\d+)\/responses$/);
      if (!responses) return { status: 404, body: "" };
      const folder = Number(responses[1]);
      return paged(
        repliesOf("freshdesk", r.space)
          .filter((s) => s.state !== "inactive" && (s.state === "personal" ? 72 : 71) === folder)
          .map((s) => ({
            id: Number(KID.freshdesk.reply(s.n)),
            title: s.title,
            folder_id: folder,
            content: plain(s.html),
            content_html: s.html,
            attachments: [],
            created_at: "2025-01-01T00:00:00Z",
            updated_at: s.updatedAt,
          })),
      );
    },

    zammad(r) {
      if (!/^\/api\/v1\/(knowledge_bases|locales|text_modules)/.test(r.path)) return null;
      const auth = r.headers.authorization;
      if (!auth) return { status: 403, body: vendorError("zammad", 403, "Authentication required") };
      if (auth !== `Token token=${CREDS.zammad.token}`) return { status: 401, body: vendorError("zammad", 401, "Can't find User for Token") };
      // Knowledge base locale ids differ from the system locale ids on purpose.
      const systemLocales = [
        { id: 1, locale: "en-us", alias: "en", name: "English (United States)", active: true },
        { id: 5, locale: "de-de", alias: "de", name: "Deutsch", active: true },
        { id: 9, locale: "fr-fr", alias: "fr", name: "Français", active: true },
      ];
      const kbLocale: Record<string, number> = { en: 1, de: 2, fr: 3 };
      if (r.path === "/api/v1/locales") return { status: 200, body: systemLocales };
      if (r.path === "/api/v1/text_modules") {
        const modules = repliesOf("zammad", r.space)
          .filter((s) => s.state !== "personal")
          .map((s) => ({
            id: Number(KID.zammad.reply(s.n)),
            name: s.title,
            keywords: s.title.toLowerCase(),
            content: s.html,
            note: "",
            active: s.state === "shared",
            foreign_id: null,
            group_ids: [],
            updated_at: s.updatedAt,
            created_at: "2025-01-01T00:00:00Z",
          }));
        return { status: 200, body: pageOf(modules, Number(r.query.get("page")) || 1, sizeOf(r.query, "per_page")).items };
      }
      // Answer-level publishing: a draft translation has no place here (doc 7 is left out).
      const answers = grouped("zammad", r.space).map(({ src, langs }) => ({ src, langs: langs.filter((d) => d.state === src.state) }));
      const answerOf = ({ src, langs }: (typeof answers)[number]) => ({
        id: Number(KID.zammad.article(src.n)),
        category_id: src.n === 1 ? 1 : 2,
        promoted: false,
        internal_note: null,
        position: src.n,
        published_at: src.state === "published" ? "2025-01-02T00:00:00.000Z" : null,
        internal_at: src.state === "internal" ? "2025-01-02T00:00:00.000Z" : null,
        archived_at: null,
        translation_ids: langs.map((d) => 100 + d.n),
        tags: src.tags,
        attachments: [],
        updated_at: src.updatedAt,
      });
      const translationOf = (d: FakeKnowledgeDoc) => ({
        id: 100 + d.n,
        title: d.title,
        kb_locale_id: kbLocale[d.lang],
        answer_id: Number(KID.zammad.article(sourceDocOf(d))),
        content_id: 200 + d.n,
        created_by_id: 3,
        updated_by_id: 3,
        updated_at: d.updatedAt,
      });
      const byId = <T extends { id: number }>(list: T[]) => Object.fromEntries(list.map((x) => [String(x.id), x]));
      if (r.path === "/api/v1/knowledge_bases/init" && r.method === "POST") {
        return {
          status: 200,
          body: {
            KnowledgeBase: {
              "1": { id: 1, active: true, kb_locale_ids: [1, 2, 3], category_ids: [1, 2], answer_ids: answers.map((a) => answerOf(a).id) },
            },
            KnowledgeBaseLocale: byId(
              Object.entries(kbLocale).map(([lang, id]) => ({
                id,
                knowledge_base_id: 1,
                system_locale_id: systemLocales.find((l) => l.alias === lang)!.id,
                primary: lang === "en",
              })),
            ),
            KnowledgeBaseAnswer: byId(answers.map(answerOf)),
            KnowledgeBaseAnswerTranslation: byId(answers.flatMap((a) => a.langs.map(translationOf))),
          },
        };
      }
      const m = r.path.match(/^\/api\/v1\/knowledge_bases\/1\/answers\/(\d+)$/);
      const answer = m ? answers.find((a) => answerOf(a).id === Number(m[1])) : undefined;
      if (!answer || r.method !== "GET")
        return { status: 404, body: vendorError("zammad", 404, `No route matches [${r.method}] "/api${r.path.replace(/^\/api/, "")}"`) };
      const wanted = (r.query.get("include_contents") ?? "").split(",").map(Number);
      return {
        status: 200,
        body: {
          id: answerOf(answer).id,
          assets: {
            KnowledgeBaseAnswer: byId([answerOf(answer)]),
            KnowledgeBaseAnswerTranslation: byId(answer.langs.map(translationOf)),
            KnowledgeBaseAnswerTranslationContent: byId(
              answer.langs.filter((d) => wanted.includes(200 + d.n)).map((d) => ({ id: 200 + d.n, body: d.html, attachments: [] })),
            ),
          },
        },
      };
    },

    chatwoot(r) {
      const m = r.path.match(/^\/api\/v1\/accounts\/([^/]+)\/(portals|canned_responses)(\/.*)?$/);
      if (!m) return null;
      if (r.headers.api_access_token !== CREDS.chatwoot.api_access_token) return { status: 401, body: vendorError("chatwoot", 401, "Invalid Access Token") };
      if (decodeURIComponent(m[1]!) !== CREDS.chatwoot.account_id)
        return { status: 401, body: vendorError("chatwoot", 401, "You are not authorized to access this account") };
      if (m[2] === "canned_responses" && !m[3]) {
        return {
          status: 200,
          body: repliesOf("chatwoot", r.space)
            .filter((s) => s.state === "shared")
            .map((s) => ({
              id: Number(KID.chatwoot.reply(s.n)),
              account_id: 7,
              short_code: slug(s.title),
              content: plain(s.html),
              created_at: "2025-01-01T00:00:00.000Z",
              updated_at: s.updatedAt,
            })),
        };
      }
      const locales = (codes: string[]) => codes.map((code) => ({ code, articles_count: 0, categories_count: 1 }));
      if (!m[3])
        return {
          status: 200,
          body: {
            payload: [
              {
                id: 1,
                slug: "help",
                name: "Help",
                archived: false,
                custom_domain: null,
                config: { allowed_locales: locales(["en", "de", "fr"]), default_locale: "en" },
              },
              {
                id: 2,
                slug: "old-help",
                name: "Old help",
                archived: true,
                custom_domain: null,
                config: { allowed_locales: locales(["en"]), default_locale: "en" },
              },
            ],
          },
        };
      const portal = m[3].match(/^\/([^/]+)\/articles$/)?.[1];
      if (!portal) return { status: 404, body: vendorError("chatwoot", 404, "Resource could not be found") };
      const statusOf = (d: FakeKnowledgeDoc) => (d.state === "internal" ? "archived" : d.state);
      const articleOf = (d: FakeKnowledgeDoc, id: string) => ({
        id: Number(id),
        slug: `${id}-${slug(d.title)}`,
        title: d.title,
        content: d.markdown,
        description: "",
        status: statusOf(d),
        position: d.n,
        account_id: 7,
        updated_at: unix(d.updatedAt),
        meta: { tags: d.tags, title: d.title, description: "" },
        category: { id: 1, name: "General", slug: "general", locale: d.lang },
        views: 0,
        locale: d.lang,
      });
      const all =
        portal === "help"
          ? docsOf("chatwoot", r.space).map((d) => articleOf(d, KID.chatwoot.article(d.n)))
          : portal === "old-help"
            ? [articleOf({ ...FAKE_KNOWLEDGE_DOCS[0]!, n: 99, title: "Old FAQ" }, "599")]
            : null;
      if (!all) return { status: 404, body: vendorError("chatwoot", 404, "Resource could not be found") };
      const locale = r.query.get("locale");
      const status = r.query.get("status");
      const matching = all.filter((a) => (!locale || a.locale === locale) && (!status || a.status === status));
      const n = Number(r.query.get("page")) || 1;
      return {
        status: 200,
        body: {
          payload: pageOf(matching, n).items,
          meta: { current_page: n, articles_count: matching.length, all_articles_count: all.length },
        },
      };
    },

    front(r) {
      if (!/^\/(knowledge_bases|knowledge_base_articles|message_templates)/.test(r.path)) return null;
      if (r.headers.authorization !== `Bearer ${CREDS.front.api_token}`) return { status: 401, body: vendorError("front", 401, "Unauthenticated") };
      const paged = <T>(all: T[]): Reply => {
        const from = Number(r.query.get("page_token")) || 0;
        const size = sizeOf(r.query, "limit");
        const next = from + size < all.length ? `${r.base}${r.path}?limit=${size}&page_token=${from + size}` : null;
        return { status: 200, body: { _pagination: { next }, _links: { self: `${r.base}${r.path}` }, _results: all.slice(from, from + size) } };
      };
      // The agents-only doc lives in the internal knowledge base.
      const articles = grouped("front", r.space);
      const kbOf = (src: FakeKnowledgeDoc) => (src.state === "internal" ? "knb_int" : "knb_ext");
      if (r.path === "/knowledge_bases")
        return paged([
          { id: "knb_ext", type: "external", locales: ["en", "de", "fr"], created_at: 1_735_689_600, updated_at: 1_735_689_600 },
          { id: "knb_int", type: "internal", locales: ["en"], created_at: 1_735_689_600, updated_at: 1_735_689_600 },
        ]);
      const list = r.path.match(/^\/knowledge_bases\/([^/]+)\/articles$/);
      if (list)
        return paged(
          articles
            .filter(({ src }) => kbOf(src) === list[1])
            .map(({ src, langs }) => ({
              _links: { self: `${r.base}/knowledge_base_articles/${KID.front.article(src.n)}` },
              id: KID.front.article(src.n),
              slug: `articles/${src.n}`,
              locales: langs.map((d) => d.lang),
              created_at: 1_735_689_600,
              updated_at: unix(src.updatedAt),
            })),
        );
      const content = r.path.match(/^\/knowledge_base_articles\/([^/]+)\/locales\/([^/]+)\/content$/);
      if (content) {
        const article = articles.find(({ src }) => KID.front.article(src.n) === content[1]);
        const d = article?.langs.find((x) => x.lang === content[2]);
        if (!d) return { status: 404, body: vendorError("front", 404, "Knowledge base article not found") };
        return {
          status: 200,
          body: {
            _links: { self: `${r.base}${r.path}` },
            id: content[1],
            slug: `articles/${sourceDocOf(d)}`,
            name: d.title,
            status: d.state === "published" ? "published" : "draft",
            keywords: d.tags,
            content: d.html,
            locale: d.lang,
            attachments: [],
            created_at: 1_735_689_600,
            updated_at: unix(d.updatedAt),
          },
        };
      }
      if (r.path === "/message_templates")
        return paged(
          repliesOf("front", r.space)
            .filter((s) => s.state === "shared")
            .map((s) => ({
              _links: { self: `${r.base}/message_templates/${KID.front.reply(s.n)}` },
              id: KID.front.reply(s.n),
              name: s.title,
              subject: null,
              body: s.html,
              attachments: [],
              is_available_for_all_inboxes: true,
              inbox_ids: null,
            })),
        );
      return { status: 404, body: vendorError("front", 404, "Route not found") };
    },
  };

  /** Help Scout Docs API v1 (its own service; served under /helpscout/docsapi/v1 here), Basic auth with the Docs API key. */
  const helpscoutDocs = (r: KnowledgeReq): Reply => {
    if (r.headers.authorization !== basic(CREDS.helpscout.docs_api_key!, "X")) return { status: 401, body: { code: 401, error: "Invalid API key" } };
    const path = r.path.replace(/^\/docsapi\/v1/, "");
    const docs = docsOf("helpscout", r.space);
    // Collections: 1 and 2 public, 3 private (the agents-only doc).
    const collectionOf = (d: FakeKnowledgeDoc) => KID.helpscout.article(90 + (d.state === "internal" ? 3 : sourceDocOf(d) === 1 ? 1 : 2));
    const collections = [1, 2, 3].map((i) => ({ id: KID.helpscout.article(90 + i), name: `Collection ${i}`, visibility: i === 3 ? "private" : "public" }));
    const n = Number(r.query.get("page")) || 1;
    const listOf = <T>(key: string, all: T[]) => {
      const p = pageOf(all, n, 1);
      return { status: 200, body: { [key]: { page: n, pages: p.pages, count: all.length, items: p.items } } };
    };
    const status = (d: FakeKnowledgeDoc) => (d.state === "draft" ? "notpublished" : "published");
    const ref = (d: FakeKnowledgeDoc) => ({
      id: KID.helpscout.article(d.n),
      number: d.n,
      collectionId: collectionOf(d),
      slug: slug(d.title),
      status: status(d),
      hasDraft: false,
      name: d.title,
      publicUrl: `https://example.helpscoutdocs.com/article/${d.n}-${slug(d.title)}`,
      popularity: 1,
      viewCount: 0,
      createdBy: 1,
      updatedBy: 1,
      createdAt: "2025-01-01T00:00:00Z",
      updatedAt: d.updatedAt,
      lastPublishedAt: d.updatedAt,
    });
    if (path === "/collections") {
      const visibility = r.query.get("visibility") ?? "all";
      return listOf(
        "collections",
        collections.filter((c) => visibility === "all" || c.visibility === visibility),
      );
    }
    const list = path.match(/^\/collections\/([^/]+)\/articles$/);
    if (list) {
      const wanted = r.query.get("status") ?? "all";
      return listOf("articles", docs.filter((d) => collectionOf(d) === list[1] && (wanted === "all" || status(d) === wanted)).map(ref));
    }
    const one = path.match(/^\/articles\/([^/]+)$/);
    const d = one ? docs.find((x) => KID.helpscout.article(x.n) === one[1]) : undefined;
    if (!d) return { status: 404, body: { code: 404, error: "Not Found" } };
    return { status: 200, body: { article: { ...ref(d), text: d.html, categories: [], related: [], keywords: d.tags } } };
  };

  /** POST /_fake/knowledge and GET /_fake/knowledge?vendor=&space=. */
  const knowledgeAdmin = (method: string, query: URLSearchParams, body: unknown): Reply => {
    if (method === "GET") {
      const space = query.get("space") ?? "";
      const vendor = query.get("vendor");
      return { status: 200, body: { requests: spaceOf(space).requests.filter((x) => !vendor || x.vendor === vendor) } };
    }
    const b = (isObj(body) ? body : {}) as Partial<FakeKnowledgeChange>;
    if (!FAKE_VENDORS.includes(b.vendor as FakeVendor) || typeof b.space !== "string")
      return { status: 400, body: { error: "expected {vendor, space, remove?: {docs?, replies?}, reset?, fail?: {status, times, retryAfter?, path?}}" } };
    const k = spaceOf(b.space);
    const vendor = b.vendor as FakeVendor;
    if (b.reset) {
      for (const key of [...k.removed]) if (key.startsWith(`${vendor}:`)) k.removed.delete(key);
      k.fails = k.fails.filter((f) => f.vendor !== vendor);
    }
    for (const n of b.remove?.docs ?? []) k.removed.add(`${vendor}:doc:${n}`);
    for (const n of b.remove?.replies ?? []) k.removed.add(`${vendor}:reply:${n}`);
    if (b.fail) k.fails.push({ ...b.fail, vendor, remaining: b.fail.times });
    return { status: 200, body: { ok: true } };
  };

  // ── people (who a stand-in requester is) ───────────────────────────────
  // Each vendor's read of one person, in its documented shape; null for other paths.

  const people = {
    zendesk(r: Req): Reply | null {
      const m = r.path.match(/^\/api\/v2\/users\/([^/]+?)(?:\.json)?$/);
      if (!m || r.method !== "GET") return null;
      const userId = decodeURIComponent(m[1]!);
      const p = FAKE_PEOPLE.zendesk[userId];
      if (!p) return { status: 404, body: vendorError("zendesk", 404, "Not found") };
      return {
        status: 200,
        body: {
          user: {
            id: Number(userId),
            url: `https://example.zendesk.com/api/v2/users/${userId}.json`,
            name: p.name,
            email: p.email,
            created_at: "2025-03-14T09:12:44Z",
            updated_at: "2026-10-30T16:02:11Z",
            time_zone: "Europe/Berlin",
            iana_time_zone: "Europe/Berlin",
            phone: null,
            shared_phone_number: null,
            photo: null,
            locale_id: 1,
            locale: "en-US",
            organization_id: null,
            role: "end-user",
            verified: true,
            external_id: null,
            tags: [],
            alias: "",
            active: true,
            shared: false,
            shared_agent: false,
            last_login_at: null,
            two_factor_auth_enabled: null,
            signature: null,
            details: "",
            notes: "",
            role_type: null,
            custom_role_id: null,
            moderator: false,
            ticket_restriction: "requested",
            only_private_comments: false,
            restricted_agent: true,
            suspended: false,
            default_group_id: null,
            report_csv: false,
            user_fields: {},
          },
        },
      };
    },
    intercom(r: Req): Reply | null {
      const m = r.path.match(/^\/contacts\/([^/]+)$/);
      if (!m || r.method !== "GET") return null;
      const contactId = decodeURIComponent(m[1]!);
      const p = FAKE_PEOPLE.intercom[contactId];
      if (!p) return { status: 404, body: vendorError("intercom", 404, "User Not Found") };
      return {
        status: 200,
        body: {
          type: "contact",
          id: contactId,
          workspace_id: "ecahpwf5",
          external_id: null,
          role: p.email ? "user" : "lead",
          email: p.email ?? "",
          phone: null,
          name: p.name,
          avatar: null,
          owner_id: null,
          social_profiles: { type: "list", data: [] },
          has_hard_bounced: false,
          marked_email_as_spam: false,
          unsubscribed_from_emails: false,
          created_at: 1_730_000_000,
          updated_at: 1_762_000_000,
          signed_up_at: p.email ? 1_730_000_000 : null,
          last_seen_at: 1_762_000_000,
          last_replied_at: 1_762_000_000,
          last_contacted_at: null,
          last_email_opened_at: null,
          last_email_clicked_at: null,
          language_override: null,
          browser: "chrome",
          browser_version: "130.0.0.0",
          browser_language: "en",
          os: "OS X",
          android_app_name: null,
          ios_app_name: null,
          custom_attributes: {},
          tags: { type: "list", data: [], url: `/contacts/${contactId}/tags`, total_count: 0, has_more: false },
          notes: { type: "list", data: [], url: `/contacts/${contactId}/notes`, total_count: 0, has_more: false },
          companies: { type: "list", data: [], url: `/contacts/${contactId}/companies`, total_count: 0, has_more: false },
          location: { type: "location", country: "Italy", region: "Lazio", city: "Rome" },
          utm_campaign: null,
          utm_content: null,
          utm_medium: null,
          utm_source: null,
          utm_term: null,
          referrer: null,
        },
      };
    },
    chatwoot(r: Req): Reply | null {
      const m = r.path.match(/^\/api\/v1\/accounts\/([^/]+)\/contacts\/([^/]+)$/);
      if (!m || r.method !== "GET") return null;
      if (decodeURIComponent(m[1]!) !== CREDS.chatwoot.account_id)
        return { status: 401, body: vendorError("chatwoot", 401, "You are not authorized to access this account") };
      const contactId = decodeURIComponent(m[2]!);
      const p = FAKE_PEOPLE.chatwoot[contactId];
      if (!p) return { status: 404, body: vendorError("chatwoot", 404, "Resource could not be found") };
      return {
        status: 200,
        body: {
          payload: {
            additional_attributes: { city: "", country: "", description: "", company_name: "", social_profiles: {} },
            availability_status: "offline",
            email: p.email,
            id: Number(contactId),
            name: p.name,
            phone_number: "+5511912345678",
            identifier: null,
            thumbnail: "",
            custom_attributes: {},
            last_activity_at: 1_762_000_000,
            created_at: 1_730_000_000,
            contact_inboxes: [],
          },
        },
      };
    },
  };

  // ── per vendor ─────────────────────────────────────────────────────────

  const handlers: Record<FakeVendor, (r: Req) => Reply> = {
    zendesk(r) {
      const oauthReply = zendeskOAuth(r);
      if (oauthReply) return oauthReply;
      const caller = zendeskCaller(r, r.method === "GET" ? "users:read" : "tickets:write");
      if ("status" in caller) return caller;
      const person = people.zendesk(r);
      if (person) return person;
      const m = r.path.match(/^\/api\/v2\/tickets\/([^/]+?)(?:\.json)?$/);
      if (!m || r.method !== "PUT") return { status: 404, body: vendorError("zendesk", 404, "InvalidEndpoint") };
      const key = r.headers["idempotency-key"];
      if (key) {
        const seen = idempotency.get(key);
        if (seen && Date.now() - seen.at < 2 * 3600_000) {
          if (seen.raw !== r.raw)
            return { status: 400, body: { error: "IdempotentRequestError", description: "Idempotency key reused with different request parameters" } };
          return { ...seen.reply, headers: { ...seen.reply.headers, "x-idempotency-lookup": "hit" }, created: undefined, outcome: "replayed" };
        }
      }
      const ticketId = decodeURIComponent(m[1]!);
      if (isMissing(ticketId)) return { status: 404, body: vendorError("zendesk", 404, "Not found") };
      const comment = isObj(r.body) && isObj(r.body.ticket) ? r.body.ticket.comment : undefined;
      if (comment === undefined && isObj(r.body) && isObj(r.body.ticket)) {
        // A ticket update without a comment: tags (added) and priority.
        const u = r.body.ticket;
        const problems: { description: string; error: string }[] = [];
        if (u.additional_tags !== undefined && !isStringList(u.additional_tags))
          problems.push({ description: "Additional tags: must be a list of strings", error: "InvalidValue" });
        if (u.priority !== undefined && !["low", "normal", "high", "urgent"].includes(String(u.priority)))
          problems.push({ description: "Priority: is not valid", error: "InvalidValue" });
        if (u.additional_tags === undefined && u.priority === undefined) problems.push({ description: "Ticket: nothing to update", error: "BlankValue" });
        if (problems.length) return { status: 422, body: vendorError("zendesk", 422, "Record validation errors", { details: { base: problems } }) };
        const t = ticketOf("zendesk", ticketId);
        if (u.additional_tags) addTags(t, u.additional_tags as string[]);
        if (u.priority !== undefined) t.priority = String(u.priority);
        const reply: Reply = {
          status: 200,
          headers: key ? { "x-idempotency-lookup": "miss" } : {},
          body: {
            ticket: { id: /^\d+$/.test(ticketId) ? Number(ticketId) : ticketId, tags: [...t.tags], priority: t.priority, updated_at: now() },
            audit: { id: id(), ticket_id: ticketId, created_at: now(), author_id: 381, events: [{ id: id(), type: "Change", field_name: "tags" }] },
          },
          outcome: "written",
        };
        if (key) idempotency.set(key, { raw: r.raw, reply, at: Date.now() });
        return reply;
      }
      const problems: { description: string; error: string }[] = [];
      if (!isObj(comment) || !nonEmpty(comment.body ?? comment.html_body)) problems.push({ description: "Comment: cannot be blank", error: "BlankValue" });
      if (isObj(comment) && comment.public !== undefined && typeof comment.public !== "boolean")
        problems.push({ description: "Comment: public must be true or false", error: "InvalidValue" });
      if (problems.length) return { status: 422, body: vendorError("zendesk", 422, "Record validation errors", { details: { base: problems } }) };
      const c2 = comment as { body: string; public?: boolean };
      const isPublic = c2.public !== false;
      const numericTicket = /^\d+$/.test(ticketId) ? Number(ticketId) : ticketId;
      const auditId = id();
      const commentId = id();
      const reply: Reply = {
        status: 200,
        headers: key ? { "x-idempotency-lookup": "miss" } : {},
        body: {
          ticket: { id: numericTicket, url: `https://example.zendesk.com/api/v2/tickets/${ticketId}.json`, status: "open", updated_at: now() },
          audit: {
            id: auditId,
            ticket_id: numericTicket,
            created_at: now(),
            author_id: 381,
            events: [
              { id: commentId, type: "Comment", author_id: 381, body: c2.body, plain_body: c2.body, public: isPublic, attachments: [], audit_id: auditId },
            ],
          },
        },
        created: { kind: isPublic ? "reply" : "note", conversationId: ticketId, body: c2.body, remoteId: String(commentId), author: caller.author },
      };
      if (key) idempotency.set(key, { raw: r.raw, reply, at: Date.now() });
      return reply;
    },

    helpscout(r) {
      const c = CREDS.helpscout;
      if (r.path === "/v2/oauth2/token") {
        if (r.method !== "POST") return { status: 405, body: vendorError("helpscout", 405, "Method not allowed") };
        const b = isObj(r.body) ? r.body : {};
        if (b.grant_type !== "client_credentials")
          return { status: 400, body: { error: "unsupported_grant_type", error_description: "Unsupported grant type" } };
        if (b.client_id !== c.app_id || b.client_secret !== c.app_secret)
          return { status: 401, body: { error: "invalid_client", error_description: "Bad client credentials" } };
        const token = randomUUID().replace(/-/g, "");
        helpscoutTokens.add(token);
        return { status: 200, body: { token_type: "bearer", access_token: token, expires_in: 172800 } };
      }
      const bearer = r.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
      if (!bearer || !helpscoutTokens.has(bearer)) return { status: 401, body: vendorError("helpscout", 401, "Invalid or expired access token") };
      const threads = r.path.match(/^\/v2\/conversations\/([^/]+)\/threads$/);
      if (threads && r.method === "GET") return helpscoutThreads(decodeURIComponent(threads[1]!), r);
      const written = triage.helpscout!(r);
      if (written) return written;
      const m = r.path.match(/^\/v2\/conversations\/([^/]+)\/(reply|notes)$/);
      if (!m || r.method !== "POST") return { status: 404, body: vendorError("helpscout", 404, "Resource not found") };
      const convId = decodeURIComponent(m[1]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("helpscout", 404, "Conversation not found") };
      const b = isObj(r.body) ? r.body : {};
      const errors: { path: string; message: string; source: string }[] = [];
      if (!nonEmpty(b.text)) errors.push({ path: "text", message: "may not be empty", source: "JSON" });
      if (m[2] === "reply") {
        const cust = b.customer;
        if (!isObj(cust) || !(typeof cust.id === "number" || nonEmpty(cust.email)))
          errors.push({ path: "customer", message: "must contain a valid customer id or an email address", source: "JSON" });
      }
      if (errors.length) return { status: 400, body: vendorError("helpscout", 400, "Bad request", { _embedded: { errors } }) };
      const threadId = String(id());
      return {
        status: 201,
        headers: { "resource-id": threadId, location: `https://api.helpscout.net/v2/conversations/${convId}/threads/${threadId}` },
        created: { kind: m[2] === "reply" ? "reply" : "note", conversationId: convId, body: b.text as string, remoteId: threadId },
      };
    },

    intercom(r) {
      const c = CREDS.intercom;
      if (r.headers.authorization !== `Bearer ${c.access_token}`) return { status: 401, body: vendorError("intercom", 401, "Access Token Invalid") };
      const written = triage.intercom!(r) ?? people.intercom(r);
      if (written) return written;
      const m = r.path.match(/^\/conversations\/([^/]+)\/reply$/);
      if (!m || r.method !== "POST") return { status: 404, body: vendorError("intercom", 404, "Resource Not Found") };
      const convId = decodeURIComponent(m[1]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("intercom", 404, "Resource Not Found") };
      const b = isObj(r.body) ? r.body : {};
      if (!["comment", "note", "quick_reply"].includes(String(b.message_type)))
        return { status: 400, body: vendorError("intercom", 400, "message_type must be one of comment, note, quick_reply", { field: "message_type" }) };
      if (b.type !== "admin" && b.type !== "user") return { status: 400, body: vendorError("intercom", 400, "type must be admin or user", { field: "type" }) };
      if (b.type === "admin" && !nonEmpty(b.admin_id))
        return { status: 400, body: vendorError("intercom", 400, "admin_id is required for admin replies", { field: "admin_id" }) };
      if (!nonEmpty(b.body)) return { status: 400, body: vendorError("intercom", 400, "Body is required", { field: "body" }) };
      const partId = String(id());
      return {
        status: 200,
        body: {
          type: "conversation",
          id: convId,
          created_at: 1_700_000_000,
          updated_at: Math.floor(Date.now() / 1000),
          state: "open",
          open: true,
          conversation_parts: {
            type: "conversation_part.list",
            conversation_parts: [
              {
                type: "conversation_part",
                id: partId,
                part_type: b.message_type,
                body: b.body,
                created_at: Math.floor(Date.now() / 1000),
                author: { type: "admin", id: b.admin_id },
                attachments: [],
                redacted: false,
              },
            ],
            total_count: 1,
          },
        },
        created: { kind: b.message_type === "note" ? "note" : "reply", conversationId: convId, body: b.body as string, remoteId: partId },
      };
    },

    front(r) {
      const c = CREDS.front;
      if (r.headers.authorization !== `Bearer ${c.api_token}`) return { status: 401, body: vendorError("front", 401, "Unauthenticated") };
      const written = triage.front!(r);
      if (written) return written;
      const m = r.path.match(/^\/conversations\/([^/]+)\/(messages|comments)$/);
      if (!m || r.method !== "POST") return { status: 404, body: vendorError("front", 404, "Route not found") };
      const convId = decodeURIComponent(m[1]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("front", 404, `Conversation ${convId} not found`) };
      const b = isObj(r.body) ? r.body : {};
      if (!nonEmpty(b.body)) return { status: 400, body: vendorError("front", 400, "body is required") };
      if (b.author_id !== undefined && !nonEmpty(b.author_id)) return { status: 400, body: vendorError("front", 400, "author_id must be a string") };
      if (m[2] === "messages") {
        if (b.options !== undefined && !isObj(b.options)) return { status: 400, body: vendorError("front", 400, "options must be an object") };
        const uid = randomUUID().replace(/-/g, "");
        return {
          status: 202,
          body: { status: "accepted", message_uid: uid },
          created: { kind: "reply", conversationId: convId, body: b.body as string, remoteId: uid },
        };
      }
      const commentId = `com_${id().toString(36)}`;
      return {
        status: 201,
        body: {
          _links: {
            self: `https://example.api.frontapp.com/comments/${commentId}`,
            related: {
              conversation: `https://example.api.frontapp.com/conversations/${convId}`,
              mentions: `https://example.api.frontapp.com/comments/${commentId}/mentions`,
            },
          },
          id: commentId,
          author: { id: (b.author_id as string | undefined) ?? "tea_owner", email: "agent@example.com" },
          body: b.body,
          posted_at: Date.now() / 1000,
          attachments: [],
          is_pinned: false,
        },
        created: { kind: "note", conversationId: convId, body: b.body as string, remoteId: commentId },
      };
    },

    chatwoot(r) {
      const c = CREDS.chatwoot;
      if (r.headers.api_access_token !== c.api_access_token) return { status: 401, body: vendorError("chatwoot", 401, "Invalid Access Token") };
      const written = triage.chatwoot!(r) ?? people.chatwoot(r);
      if (written) return written;
      const m = r.path.match(/^\/api\/v1\/accounts\/([^/]+)\/conversations\/([^/]+)\/messages$/);
      if (!m || r.method !== "POST") return { status: 404, body: vendorError("chatwoot", 404, "Resource could not be found") };
      if (decodeURIComponent(m[1]!) !== c.account_id)
        return { status: 401, body: vendorError("chatwoot", 401, "You are not authorized to access this account") };
      const convId = decodeURIComponent(m[2]!);
      if (isMissing(convId)) return { status: 404, body: vendorError("chatwoot", 404, "Resource could not be found") };
      const b = isObj(r.body) ? r.body : {};
      if (!nonEmpty(b.content)) return { status: 422, body: { message: "Content can't be blank", attributes: ["content"] } };
      if (b.message_type !== undefined && !["outgoing", "incoming"].includes(String(b.message_type)))
        return { status: 422, body: { message: "Message type is not included in the list", attributes: ["message_type"] } };
      if (b.private !== undefined && typeof b.private !== "boolean")
        return { status: 422, body: { message: "Private must be true or false", attributes: ["private"] } };
      const msgId = id();
      return {
        status: 200,
        body: {
          id: msgId,
          content: b.content,
          account_id: Number(c.account_id),
          inbox_id: 3,
          conversation_id: Number(convId) || convId,
          message_type: b.message_type === "incoming" ? 0 : 1,
          content_type: "text",
          content_attributes: {},
          private: b.private === true,
          created_at: Math.floor(Date.now() / 1000),
          source_id: null,
          sender: { id: 12, name: "Agent", type: "user" },
        },
        created: { kind: b.private === true ? "note" : "reply", conversationId: convId, body: b.content as string, remoteId: String(msgId) },
      };
    },

    zammad(r) {
      const c = CREDS.zammad;
      const auth = r.headers.authorization;
      if (!auth) return { status: 403, body: vendorError("zammad", 403, "Authentication required") };
      if (auth !== `Token token=${c.token}`) return { status: 401, body: vendorError("zammad", 401, "Can't find User for Token") };
      const written = triage.zammad!(r);
      if (written) return written;
      if (r.path !== "/api/v1/ticket_articles" || r.method !== "POST")
        return { status: 404, body: vendorError("zammad", 404, `No route matches [${r.method}] "/api${r.path.replace(/^\/api/, "")}"`) };
      const b = isObj(r.body) ? r.body : {};
      if (b.ticket_id === undefined || b.ticket_id === null || b.ticket_id === "") return { status: 422, body: vendorError("zammad", 422, "Need ticket_id!") };
      const ticketId = String(b.ticket_id);
      if (isMissing(ticketId)) return { status: 404, body: vendorError("zammad", 404, `Couldn't find Ticket with 'id'=${ticketId}`) };
      if (!nonEmpty(b.body)) return { status: 422, body: vendorError("zammad", 422, "Attribute 'body' required!") };
      if (!["email", "note", "phone", "web", "sms", "chat"].includes(String(b.type)))
        return { status: 422, body: vendorError("zammad", 422, `Unknown article type '${String(b.type)}'`) };
      if (b.content_type !== undefined && !["text/plain", "text/html"].includes(String(b.content_type)))
        return { status: 422, body: vendorError("zammad", 422, "Invalid content_type") };
      if (b.internal !== undefined && typeof b.internal !== "boolean")
        return { status: 422, body: vendorError("zammad", 422, "internal must be true or false") };
      if (b.type === "email" && !nonEmpty(b.to)) return { status: 422, body: vendorError("zammad", 422, "Need recipient (to) for email article!") };
      const articleId = id();
      return {
        status: 201,
        body: {
          id: articleId,
          ticket_id: Number(ticketId) || ticketId,
          from: "Support <support@example.com>",
          to: b.to ?? "",
          cc: "",
          subject: "",
          body: b.body,
          content_type: b.content_type ?? "text/plain",
          type: b.type,
          sender: "Agent",
          internal: b.internal === true,
          attachments: [],
          created_at: now(),
          updated_at: now(),
        },
        created: {
          kind: b.internal === true || b.type === "note" ? "note" : "reply",
          conversationId: ticketId,
          body: b.body as string,
          remoteId: String(articleId),
        },
      };
    },

    freshdesk(r) {
      const c = CREDS.freshdesk;
      if (r.headers.authorization !== basic(c.api_key!, "X"))
        return { status: 401, body: { code: "invalid_credentials", message: "You have to be logged in to perform this action." } };
      const written = triage.freshdesk!(r);
      if (written) return written;
      const m = r.path.match(/^\/api\/v2\/tickets\/([^/]+)\/(reply|notes)$/);
      if (!m || r.method !== "POST") return { status: 404, body: "" };
      const ticketId = decodeURIComponent(m[1]!);
      // Freshdesk answers an unknown ticket with a bare 404.
      if (isMissing(ticketId)) return { status: 404, body: "" };
      const b = isObj(r.body) ? r.body : {};
      const errors: { field: string; message: string; code: string }[] = [];
      if (!nonEmpty(b.body)) errors.push({ field: "body", message: "It should not be blank as this is a mandatory field", code: "missing_field" });
      if (m[2] === "notes" && b.private !== undefined && typeof b.private !== "boolean")
        errors.push({ field: "private", message: "Value set is of type String.It should be a/an Boolean", code: "datatype_mismatch" });
      if (errors.length) return { status: 400, body: { description: "Validation failed", errors } };
      const entryId = id();
      const isNote = m[2] === "notes";
      return {
        status: 201,
        body: {
          id: entryId,
          body: b.body,
          body_text: String(b.body)
            .replace(/<br\s*\/?>/g, "\n")
            .replace(/<[^>]+>/g, ""),
          incoming: false,
          private: isNote ? b.private !== false : false,
          user_id: 43,
          ticket_id: Number(ticketId) || ticketId,
          attachments: [],
          created_at: now(),
          updated_at: now(),
          ...(isNote ? { notified_to_emails: [] } : { to_emails: ["customer@example.com"], from_email: "support@example.com", cc_emails: [], bcc_emails: [] }),
        },
        created: { kind: isNote ? "note" : "reply", conversationId: ticketId, body: b.body as string, remoteId: String(entryId) },
      };
    },
  };

  // ── plumbing ───────────────────────────────────────────────────────────

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const isEmpty = body === undefined || body === "";
    const h: Record<string, string> = { ...headers };
    if (!isEmpty) h["content-type"] = headers["content-type"] ?? "application/json; charset=utf-8";
    res.writeHead(status, STATUS_TEXT[status] ?? "", h).end(isEmpty ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  };

  const admin = (method: string, path: string, query: URLSearchParams, body: unknown, res: ServerResponse) => {
    if (method === "GET" && path === "/_fake/requests") {
      const v = query.get("vendor");
      return send(res, 200, {
        requests: v ? requests.filter((r) => r.vendor === v) : requests,
        created: v ? created.filter((c) => c.vendor === v) : created,
        issued: !v || v === "zendesk" ? zd.issued : [],
        tickets: Object.fromEntries([...tickets.entries()].filter(([k]) => !v || k.startsWith(`${v}:`))),
      });
    }
    if (method === "POST" && path === "/_fake/script") {
      const s = body as Partial<FakeScript>;
      if (!s || !FAKE_VENDORS.includes(s.vendor as FakeVendor) || typeof s.status !== "number" || typeof s.times !== "number") {
        return send(res, 400, { error: "expected {vendor, status, times, retryAfter?, path?}" });
      }
      scripts.push({ vendor: s.vendor as FakeVendor, status: s.status, times: s.times, retryAfter: s.retryAfter, path: s.path, remaining: s.times });
      return send(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/_fake/ticket") {
      // Seeds a ticket's tags and priority (e.g. the tags a write-back must keep).
      const b = (isObj(body) ? body : {}) as { vendor?: unknown; id?: unknown; tags?: unknown; priority?: unknown };
      if (!FAKE_VENDORS.includes(b.vendor as FakeVendor) || !nonEmpty(b.id)) return send(res, 400, { error: "expected {vendor, id, tags?, priority?}" });
      const t = ticketOf(b.vendor as FakeVendor, b.id);
      if (isStringList(b.tags)) {
        t.tags = [...b.tags];
        if (b.vendor === "front" || b.vendor === "intercom") for (const tag of b.tags) tagId(b.vendor as FakeVendor, tag, b.vendor === "front" ? "tag_" : "");
      }
      if (typeof b.priority === "string" || typeof b.priority === "number") t.priority = b.priority;
      return send(res, 200, { ok: true, ticket: t });
    }
    if (path === "/_fake/knowledge" && (method === "GET" || method === "POST")) {
      const reply = knowledgeAdmin(method, query, body);
      return send(res, reply.status, reply.body);
    }
    if (method === "POST" && path === "/_fake/reset") {
      reset();
      return send(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/_fake/zendesk-oauth") {
      const b = (isObj(body) ? body : {}) as { accessTtl?: unknown; refreshTtl?: unknown };
      if (typeof b.accessTtl === "number") zd.accessTtl = b.accessTtl;
      if (typeof b.refreshTtl === "number") zd.refreshTtl = b.refreshTtl;
      return send(res, 200, { accessTtl: zd.accessTtl, refreshTtl: zd.refreshTtl });
    }
    if (method === "POST" && path === "/_fake/revoke-tokens") {
      helpscoutTokens.clear();
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { error: "unknown admin route" });
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake.local");
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const contentType = String(req.headers["content-type"] ?? "");
      let body: unknown = null;
      if (raw) {
        if (contentType.includes("application/x-www-form-urlencoded")) body = Object.fromEntries(new URLSearchParams(raw));
        else {
          try {
            body = JSON.parse(raw);
          } catch {
            body = raw;
          }
        }
      }
      const method = req.method ?? "GET";

      if (url.pathname.startsWith("/_fake/")) return admin(method, url.pathname, url.searchParams, body, res);

      const m = url.pathname.match(/^\/([a-z]+)(\/.*)?$/);
      const vendor = m?.[1] as FakeVendor | undefined;
      if (!vendor || !FAKE_VENDORS.includes(vendor)) return send(res, 404, { error: `no fake help desk at ${url.pathname}` });
      const path = m?.[2] ?? "/";

      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k.toLowerCase()] = v;

      // A knowledge space: its own fixtures, failures and request log, apart from everything else.
      const inSpace = path.match(/^\/~([\w.-]+)(\/.*)?$/);
      if (inSpace) {
        const space = spaceOf(inSpace[1]!);
        const kpath = inSpace[2] ?? "/";
        const isToken = vendor === "helpscout" && kpath === "/v2/oauth2/token";
        const fail = space.fails.find((f) => f.vendor === vendor && f.remaining > 0 && (f.path ? kpath.startsWith(f.path) : !isToken));
        let reply: Reply;
        if (fail) {
          fail.remaining--;
          reply = {
            status: fail.status,
            body: vendorError(vendor, fail.status),
            headers: fail.retryAfter !== undefined ? { "retry-after": String(fail.retryAfter) } : {},
          };
        } else {
          const base = `http://${headers.host}/${vendor}/~${inSpace[1]}`;
          reply = knowledge[vendor]({ method, path: kpath, query: url.searchParams, headers, body, raw, space, base }) ?? {
            status: 404,
            body: vendorError(vendor, 404, `no knowledge endpoint at ${kpath}`),
          };
        }
        space.requests.push({ vendor, method, path: `${kpath}${url.search}`, headers, status: reply.status });
        const h = { ...reply.headers };
        if (vendor === "helpscout" && reply.status >= 400 && isObj(reply.body) && "logRef" in reply.body) h["content-type"] = "application/vnd.error+json";
        return send(res, reply.status, reply.body, h);
      }

      const record: FakeRecordedRequest = { seq: ++seq, vendor, method, path, query: url.search, headers, body, status: 0, outcome: "ok" };
      requests.push(record);

      // Scripted failures come first, as a rate limiter or a failing upstream would.
      const isToken = (vendor === "helpscout" && path === "/v2/oauth2/token") || (vendor === "zendesk" && path.startsWith("/oauth/"));
      const script = scripts.find((s) => s.vendor === vendor && s.remaining > 0 && (s.path ? path.startsWith(s.path) : !isToken));
      if (script) {
        script.remaining--;
        record.status = script.status;
        record.outcome = "scripted";
        const h: Record<string, string> = script.retryAfter !== undefined ? { "retry-after": String(script.retryAfter) } : {};
        if (vendor === "helpscout") h["content-type"] = "application/vnd.error+json";
        return send(res, script.status, vendorError(vendor, script.status), h);
      }

      // Non-JSON bodies are malformed requests for every vendor here.
      if (raw && typeof body === "string") {
        record.status = 400;
        record.outcome = "rejected";
        return send(res, 400, vendorError(vendor, 400, "Malformed JSON body"));
      }

      const r: Req = { method, path, query: url.searchParams, headers, body, raw };
      const reply = knowledge[vendor]({ ...r, space: spaceOf(""), base: `http://${headers.host}/${vendor}` }) ?? handlers[vendor](r);
      record.status = reply.status;
      record.outcome = reply.outcome ?? (reply.created ? "created" : reply.status >= 400 ? "rejected" : "ok");
      if (reply.created) created.push({ vendor, ...reply.created });
      const h = { ...reply.headers };
      if (vendor === "helpscout" && reply.status >= 400 && isObj(reply.body) && "logRef" in reply.body) h["content-type"] = "application/vnd.error+json";
      return send(res, reply.status, reply.body, h);
    } catch (err) {
      send(res, 500, { error: `fake help desk crashed: ${err instanceof Error ? err.message : String(err)}` });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("fake help desks did not start");
  server.unref();
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    requests,
    created,
    issued: zd.issued,
    script: (s) => scripts.push({ ...s, remaining: s.times }),
    reset,
  };
}
