// Outbound connectors against the fake help desks (test/fakes/help-desks.ts),
// which speak each vendor's documented wire format. Runs inside workerd; the
// fake runs in the Vitest (Node) process and is reached over HTTP.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  FAKE_HELPDESK_CREDENTIALS,
  FAKE_MISSING_ID,
  type FakeRecordedRequest,
  type FakeScript,
  type FakeState,
  type FakeVendor,
} from "../../test/fakes/help-desk-fixtures";
import { type CallContext, callVendor, parseRetryAfter } from "./common/vendor-http";
import { clearHelpScoutTokenCache } from "./helpscout/outbound";
import { INTERCOM_VERSION } from "./intercom/outbound";
import { OUTBOUND } from "./registry";
import { type OutboundConnector, OutboundError, type OutboundTarget, type TriageFields } from "./types";

const FAKE = env.FAKE_HELPDESK_URL!;

async function fakeState(vendor: FakeVendor): Promise<FakeState> {
  const res = await fetch(`${FAKE}/_fake/requests?vendor=${vendor}`);
  return (await res.json()) as FakeState;
}
async function script(s: FakeScript): Promise<void> {
  const res = await fetch(`${FAKE}/_fake/script`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(s) });
  expect(res.status).toBe(200);
}
async function admin(path: "reset" | "revoke-tokens"): Promise<void> {
  expect((await fetch(`${FAKE}/_fake/${path}`, { method: "POST" })).status).toBe(200);
}

const isToken = (r: FakeRecordedRequest) => r.vendor === "helpscout" && r.path === "/v2/oauth2/token";
/** API calls (Help Scout's token requests aside) for one conversation path. */
const apiCalls = (s: FakeState) => s.requests.filter((r) => !isToken(r));

function makeCtx(vendor: FakeVendor, opts: { credentials?: Record<string, string>; key?: string } = {}) {
  const sleeps: number[] = [];
  const ctx: CallContext = {
    baseUrl: `${FAKE}/${vendor}`,
    credentials: opts.credentials ?? { ...FAKE_HELPDESK_CREDENTIALS[vendor] },
    idempotencyKey: opts.key ?? `task_${crypto.randomUUID()}:reply`,
    fetch: (input, init) => fetch(input, init),
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  };
  return { ctx, sleeps };
}

let counter = 0;
const b64 = (s: string) => btoa(s);
const C = FAKE_HELPDESK_CREDENTIALS;
/** The fake Zendesk records who posted: with the shared API token, the token's user. */
const sharedAuthor = (vendor: FakeVendor) => (vendor === "zendesk" ? { author: `api:${C.zendesk.email}` } : {});

interface VendorCase {
  vendor: FakeVendor;
  name: string;
  /** A fresh conversation id in the vendor's id style. */
  newId(): string;
  missingId: string;
  refs?: Record<string, string>;
  method: "PUT" | "POST";
  replyPath(id: string): string;
  notePath(id: string): string;
  checkAuth(headers: Record<string, string>): void;
  replyBody(id: string, text: string): unknown;
  noteBody(id: string, text: string): unknown;
  /** Whether the vendor takes HTML (reply, note). */
  html: { reply: boolean; note: boolean };
}

const numericId = () => String(70000 + ++counter);
const TEXT = "Hello Ada,\nThanks for waiting & sorry.\n\nBest";
const TEXT_P = "<p>Hello Ada,<br>Thanks for waiting &amp; sorry.</p><p>Best</p>";
const TEXT_BR = "Hello Ada,<br>Thanks for waiting &amp; sorry.<br><br>Best";

const CASES: VendorCase[] = [
  {
    vendor: "zendesk",
    name: "Zendesk",
    newId: numericId,
    missingId: FAKE_MISSING_ID,
    method: "PUT",
    replyPath: (id) => `/api/v2/tickets/${id}`,
    notePath: (id) => `/api/v2/tickets/${id}`,
    checkAuth: (h) => {
      expect(h.authorization).toBe(`Basic ${b64(`${C.zendesk.email}/token:${C.zendesk.api_token}`)}`);
      expect(h["idempotency-key"]).toMatch(/^task_/);
      expect(h["content-type"]).toBe("application/json");
    },
    replyBody: (_id, text) => ({ ticket: { comment: { body: text, public: true } } }),
    noteBody: (_id, text) => ({ ticket: { comment: { body: text, public: false } } }),
    html: { reply: false, note: false },
  },
  {
    vendor: "helpscout",
    name: "Help Scout",
    newId: numericId,
    missingId: FAKE_MISSING_ID,
    refs: { customerId: "5501" },
    method: "POST",
    replyPath: (id) => `/v2/conversations/${id}/reply`,
    notePath: (id) => `/v2/conversations/${id}/notes`,
    checkAuth: (h) => expect(h.authorization).toMatch(/^Bearer [0-9a-f]{32}$/),
    replyBody: (_id, text) => ({ customer: { id: 5501 }, text }),
    noteBody: (_id, text) => ({ text }),
    html: { reply: false, note: false },
  },
  {
    vendor: "intercom",
    name: "Intercom",
    newId: numericId,
    missingId: FAKE_MISSING_ID,
    method: "POST",
    replyPath: (id) => `/conversations/${id}/reply`,
    notePath: (id) => `/conversations/${id}/reply`,
    checkAuth: (h) => {
      expect(h.authorization).toBe(`Bearer ${C.intercom.access_token}`);
      expect(h["intercom-version"]).toBe(INTERCOM_VERSION);
    },
    replyBody: (_id, text) => ({ message_type: "comment", type: "admin", admin_id: C.intercom.admin_id, body: text }),
    noteBody: (_id, text) => ({ message_type: "note", type: "admin", admin_id: C.intercom.admin_id, body: text }),
    html: { reply: true, note: true },
  },
  {
    vendor: "front",
    name: "Front",
    newId: () => `cnv_${(++counter).toString(36)}`,
    missingId: `cnv_${FAKE_MISSING_ID}`,
    method: "POST",
    replyPath: (id) => `/conversations/${id}/messages`,
    notePath: (id) => `/conversations/${id}/comments`,
    checkAuth: (h) => expect(h.authorization).toBe(`Bearer ${C.front.api_token}`),
    replyBody: (_id, html) => ({ author_id: C.front.author_id, body: html, text: TEXT, options: { archive: false } }),
    noteBody: (_id, text) => ({ author_id: C.front.author_id, body: text }),
    html: { reply: true, note: false },
  },
  {
    vendor: "chatwoot",
    name: "Chatwoot",
    newId: numericId,
    missingId: FAKE_MISSING_ID,
    method: "POST",
    replyPath: (id) => `/api/v1/accounts/${C.chatwoot.account_id}/conversations/${id}/messages`,
    notePath: (id) => `/api/v1/accounts/${C.chatwoot.account_id}/conversations/${id}/messages`,
    checkAuth: (h) => {
      expect(h.api_access_token).toBe(C.chatwoot.api_access_token);
      expect(h.authorization).toBeUndefined();
    },
    replyBody: (_id, text) => ({ content: text, message_type: "outgoing", private: false, content_type: "text" }),
    noteBody: (_id, text) => ({ content: text, message_type: "outgoing", private: true, content_type: "text" }),
    html: { reply: false, note: false },
  },
  {
    vendor: "zammad",
    name: "Zammad",
    newId: numericId,
    missingId: FAKE_MISSING_ID,
    method: "POST",
    replyPath: () => "/api/v1/ticket_articles",
    notePath: () => "/api/v1/ticket_articles",
    checkAuth: (h) => expect(h.authorization).toBe(`Token token=${C.zammad.token}`),
    replyBody: (id, text) => ({ ticket_id: Number(id), body: text, content_type: "text/plain", type: "email", internal: false, to: "ada@example.com" }),
    noteBody: (id, text) => ({ ticket_id: Number(id), body: text, content_type: "text/plain", type: "note", internal: true }),
    html: { reply: false, note: false },
  },
  {
    vendor: "freshdesk",
    name: "Freshdesk",
    newId: numericId,
    missingId: FAKE_MISSING_ID,
    method: "POST",
    replyPath: (id) => `/api/v2/tickets/${id}/reply`,
    notePath: (id) => `/api/v2/tickets/${id}/notes`,
    checkAuth: (h) => expect(h.authorization).toBe(`Basic ${b64(`${C.freshdesk.api_key}:X`)}`),
    replyBody: (_id, html) => ({ body: html }),
    noteBody: (_id, html) => ({ body: html, private: true }),
    html: { reply: true, note: true },
  },
];

function target(c: VendorCase, id: string): OutboundTarget {
  return { conversationId: id, requesterEmail: "ada@example.com", requesterName: "Ada Lovelace", subject: "Refund for order 42", refs: { ...c.refs } };
}

/** What the vendor should receive for TEXT. */
function expectedText(c: VendorCase, kind: "reply" | "note"): string {
  // Front comments are Markdown: HTML characters escaped, newlines kept.
  if (c.vendor === "front" && kind === "note") return TEXT.replace(/&/g, "&amp;");
  if (!c.html[kind]) return TEXT;
  return c.vendor === "freshdesk" ? TEXT_BR : TEXT_P;
}

function secretsOf(vendor: FakeVendor): string[] {
  const creds = Object.values(C[vendor]).filter((v) => v.length >= 6);
  return [...creds, b64(`${C.zendesk.email}/token:${C.zendesk.api_token}`), b64(`${C.freshdesk.api_key}:X`)];
}

beforeEach(async () => {
  await admin("reset");
  clearHelpScoutTokenCache();
});

describe("OUTBOUND registry", () => {
  it("has one connector per help desk and none for generic (the built-in outbox)", () => {
    expect(Object.keys(OUTBOUND).sort()).toEqual(["chatwoot", "freshdesk", "front", "helpscout", "intercom", "zammad", "zendesk"]);
    expect(OUTBOUND.generic).toBeUndefined();
    for (const [id, connector] of Object.entries(OUTBOUND)) {
      expect(connector!.id).toBe(id);
      expect(connector!.credentialFields.length).toBeGreaterThan(0);
      expect(connector!.credentialFields.some((f) => f.secret)).toBe(true);
      expect(connector!.defaultBaseUrl).toMatch(/^https:\/\//);
      expect(connector!.postInternalNote).toBeTypeOf("function");
    }
  });
});

describe.each(CASES)("$name", (c) => {
  const connector = (): OutboundConnector => OUTBOUND[c.vendor]!;

  it("posts a public reply as exactly one documented request", async () => {
    const id = c.newId();
    const { ctx, sleeps } = makeCtx(c.vendor);
    const result = await connector().postReply(ctx, target(c, id), TEXT);

    const state = await fakeState(c.vendor);
    const calls = apiCalls(state);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.method).toBe(c.method);
    expect(call!.path).toBe(c.replyPath(id));
    c.checkAuth(call!.headers);
    expect(call!.body).toEqual(c.replyBody(id, expectedText(c, "reply")));
    expect(state.created).toEqual([
      { vendor: c.vendor, kind: "reply", conversationId: id, body: expectedText(c, "reply"), remoteId: result.remoteId, ...sharedAuthor(c.vendor) },
    ]);
    expect(sleeps).toEqual([]);
    if (c.vendor === "helpscout") {
      const token = state.requests.filter(isToken);
      expect(token).toHaveLength(1);
      expect(token[0]!.body).toEqual({ grant_type: "client_credentials", client_id: C.helpscout.app_id, client_secret: C.helpscout.app_secret });
    }
  });

  it("files an internal note as exactly one documented request", async () => {
    const id = c.newId();
    const { ctx } = makeCtx(c.vendor, { key: `task_${id}:note` });
    const result = await connector().postInternalNote!(ctx, target(c, id), TEXT);

    const state = await fakeState(c.vendor);
    const calls = apiCalls(state);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe(c.method);
    expect(calls[0]!.path).toBe(c.notePath(id));
    c.checkAuth(calls[0]!.headers);
    expect(calls[0]!.body).toEqual(c.noteBody(id, expectedText(c, "note")));
    expect(state.created).toEqual([
      { vendor: c.vendor, kind: "note", conversationId: id, body: expectedText(c, "note"), remoteId: result.remoteId, ...sharedAuthor(c.vendor) },
    ]);
  });

  it("retries 503 twice in process and posts the reply once", async () => {
    const id = c.newId();
    await script({ vendor: c.vendor, status: 503, times: 2 });
    const { ctx, sleeps } = makeCtx(c.vendor);
    const result = await connector().postReply(ctx, target(c, id), TEXT);

    const state = await fakeState(c.vendor);
    const calls = apiCalls(state);
    expect(calls.map((r) => [r.status, r.outcome])).toEqual([
      [503, "scripted"],
      [503, "scripted"],
      [calls[2]!.status, "created"],
    ]);
    expect(calls[2]!.status).toBeLessThan(300);
    expect(state.created).toHaveLength(1);
    expect(state.created[0]!.remoteId).toBe(result.remoteId);
    // Exponential backoff from 250 ms (with jitter between half and all of it).
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(125);
    expect(sleeps[0]).toBeLessThanOrEqual(250);
    expect(sleeps[1]).toBeGreaterThanOrEqual(250);
    expect(sleeps[1]).toBeLessThanOrEqual(500);
  });

  it("honours Retry-After: 1 on a 429", async () => {
    const id = c.newId();
    await script({ vendor: c.vendor, status: 429, times: 1, retryAfter: 1 });
    const { ctx, sleeps } = makeCtx(c.vendor);
    await connector().postReply(ctx, target(c, id), TEXT);

    expect(sleeps).toEqual([1000]);
    const state = await fakeState(c.vendor);
    expect(apiCalls(state).map((r) => r.outcome)).toEqual(["scripted", "created"]);
    expect(state.created).toHaveLength(1);
  });

  it("hands a Retry-After over 30 s to the Workflow as a retryable error", async () => {
    const id = c.newId();
    await script({ vendor: c.vendor, status: 429, times: 1, retryAfter: 120 });
    const { ctx, sleeps } = makeCtx(c.vendor);
    const err = await connector()
      .postReply(ctx, target(c, id), TEXT)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OutboundError);
    const e = err as OutboundError;
    expect(e.retryable).toBe(true);
    expect(e.status).toBe(429);
    expect(e.retryAfterSeconds).toBe(120);
    expect(e.message).toContain(c.name);
    expect(sleeps).toEqual([]);
    const state = await fakeState(c.vendor);
    expect(apiCalls(state)).toHaveLength(1);
    expect(state.created).toEqual([]);
  });

  it("fails at once, not retryable, on a ticket that does not exist", async () => {
    const { ctx, sleeps } = makeCtx(c.vendor);
    const err = await connector()
      .postReply(ctx, target(c, c.missingId), TEXT)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OutboundError);
    const e = err as OutboundError;
    expect(e.retryable).toBe(false);
    expect(e.status).toBe(404);
    expect(e.message).toContain(c.name);
    expect(e.message).toContain("404");
    for (const secret of secretsOf(c.vendor)) expect(e.message).not.toContain(secret);
    expect(sleeps).toEqual([]);
    const state = await fakeState(c.vendor);
    expect(apiCalls(state)).toHaveLength(1);
    expect(state.created).toEqual([]);
  });

  it("fails at once on wrong credentials without echoing them", async () => {
    const wrong = Object.fromEntries(Object.entries(C[c.vendor]).map(([k, v]) => [k, k.endsWith("_id") && k !== "app_id" ? v : `wrong-${v}-Zz9`]));
    const { ctx } = makeCtx(c.vendor, { credentials: wrong });
    const err = await connector()
      .postReply(ctx, target(c, c.newId()), TEXT)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(OutboundError);
    const e = err as OutboundError;
    expect(e.retryable).toBe(false);
    expect(e.status).toBe(401);
    expect(e.message).toContain(c.name);
    expect(e.message).toContain("401");
    for (const v of Object.values(wrong)) if (v.startsWith("wrong-")) expect(e.message).not.toContain(v);
    expect((await fakeState(c.vendor)).created).toEqual([]);
  });

  it(c.html.reply || c.html.note ? "escapes HTML in bodies it sends as HTML" : "sends the text verbatim (the vendor takes plain text)", async () => {
    const id = c.newId();
    const evil = "<script>alert('x')</script>\nok & done";
    const { ctx } = makeCtx(c.vendor);
    await connector().postReply(ctx, target(c, id), evil);
    await connector().postInternalNote!({ ...ctx, idempotencyKey: `${ctx.idempotencyKey}:note` }, target(c, id), evil);

    const { created } = await fakeState(c.vendor);
    expect(created.map((x) => x.kind)).toEqual(["reply", "note"]);
    for (const item of created) {
      if (c.html[item.kind]) {
        expect(item.body).not.toContain("<script>");
        expect(item.body).toContain("&lt;script&gt;alert('x')&lt;/script&gt;");
        expect(item.body).toContain("ok &amp; done");
        if (c.vendor !== "front" || item.kind === "reply") expect(item.body).toContain("<br>");
      } else if (c.vendor === "front") {
        // Front comments are Markdown: HTML is escaped, newlines kept.
        expect(item.body).toBe("&lt;script&gt;alert('x')&lt;/script&gt;\nok &amp; done");
      } else {
        expect(item.body).toBe(evil);
      }
    }
  });
});

describe("Zendesk idempotency", () => {
  it("a repeated Idempotency-Key is replayed by Zendesk, not posted twice", async () => {
    const c = CASES[0]!;
    const id = c.newId();
    const { ctx } = makeCtx("zendesk", { key: `task_${id}:reply` });
    const first = await OUTBOUND.zendesk!.postReply(ctx, target(c, id), TEXT);
    const second = await OUTBOUND.zendesk!.postReply(ctx, target(c, id), TEXT);

    expect(second.remoteId).toBe(first.remoteId);
    const state = await fakeState("zendesk");
    expect(state.requests.map((r) => r.outcome)).toEqual(["created", "replayed"]);
    expect(state.created).toHaveLength(1);
  });

  it("the remote id is the comment from the update's audit", async () => {
    const c = CASES[0]!;
    const id = c.newId();
    const { ctx } = makeCtx("zendesk");
    const { remoteId } = await OUTBOUND.zendesk!.postReply(ctx, target(c, id), TEXT);
    expect(remoteId).toMatch(/^\d+$/);
    expect(remoteId).not.toBe(id);
  });
});

describe("Help Scout tokens", () => {
  const c = CASES[1]!;

  it("reuses the client-credentials token across calls", async () => {
    const { ctx } = makeCtx("helpscout");
    await OUTBOUND.helpscout!.postReply(ctx, target(c, c.newId()), TEXT);
    await OUTBOUND.helpscout!.postInternalNote!(ctx, target(c, c.newId()), TEXT);
    const state = await fakeState("helpscout");
    expect(state.requests.filter(isToken)).toHaveLength(1);
    expect(state.created).toHaveLength(2);
  });

  it("fetches a new token once when the cached one is refused", async () => {
    const { ctx } = makeCtx("helpscout");
    await OUTBOUND.helpscout!.postReply(ctx, target(c, c.newId()), TEXT);
    await admin("revoke-tokens");
    const { remoteId } = await OUTBOUND.helpscout!.postReply(ctx, target(c, c.newId()), TEXT);

    const state = await fakeState("helpscout");
    expect(state.requests.map((r) => (isToken(r) ? "token" : r.status))).toEqual(["token", 201, 401, "token", 201]);
    expect(state.created.map((x) => x.remoteId)).toContain(remoteId);
  });

  it("replies by customer email when the conversation has no customer id", async () => {
    const { ctx } = makeCtx("helpscout");
    const id = c.newId();
    await OUTBOUND.helpscout!.postReply(ctx, { ...target(c, id), refs: {} }, TEXT);
    const calls = apiCalls(await fakeState("helpscout"));
    expect(calls[0]!.body).toEqual({ customer: { email: "ada@example.com" }, text: TEXT });
  });
});

describe("Chatwoot account", () => {
  it("prefers the account id from the ticket refs", async () => {
    const c = CASES[4]!;
    const id = c.newId();
    const { ctx } = makeCtx("chatwoot", { credentials: { api_access_token: C.chatwoot.api_access_token! } });
    await OUTBOUND.chatwoot!.postReply(ctx, { ...target(c, id), refs: { accountId: C.chatwoot.account_id! } }, TEXT);
    expect(apiCalls(await fakeState("chatwoot"))[0]!.path).toBe(c.replyPath(id));
  });

  it("without any account id fails before calling", async () => {
    const c = CASES[4]!;
    const { ctx } = makeCtx("chatwoot", { credentials: { api_access_token: C.chatwoot.api_access_token! } });
    const err = await OUTBOUND.chatwoot!.postReply(ctx, target(c, c.newId()), TEXT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as OutboundError).retryable).toBe(false);
    expect((await fakeState("chatwoot")).requests).toEqual([]);
  });
});

// ── callVendor on its own (stub fetch) ─────────────────────────────────────

describe("callVendor", () => {
  function stubCtx(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, sleeps: number[] = []): CallContext {
    return {
      baseUrl: "https://api.example.com/",
      credentials: { token: "sk-very-secret-value" },
      idempotencyKey: "k",
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => fetchImpl(String(input), init ?? {})) as typeof fetch,
      retry: { sleep: async (ms) => void sleeps.push(ms), random: () => 1 },
    };
  }

  it("joins the base URL, sends JSON and parses the answer; an empty body is null", async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const ctx = stubCtx(async (url, init) => {
      seen.push({ url, init });
      return seen.length === 1 ? Response.json({ ok: 1 }) : new Response(null, { status: 204 });
    });
    expect(await callVendor(ctx, { method: "POST", path: "/x/1", json: { a: 1 } }, { vendor: "Acme" })).toEqual({ ok: 1 });
    expect(await callVendor(ctx, { method: "DELETE", path: "/x/1" }, { vendor: "Acme" })).toBeNull();
    expect(seen[0]!.url).toBe("https://api.example.com/x/1");
    expect(new Headers(seen[0]!.init.headers).get("content-type")).toBe("application/json");
    expect(seen[0]!.init.body).toBe('{"a":1}');
    expect(seen[0]!.init.redirect).toBe("manual");
  });

  it("retries network errors and timeouts, then gives up retryable", async () => {
    const sleeps: number[] = [];
    let n = 0;
    const ctx = stubCtx(async (_url, init) => {
      n++;
      if (n === 1) throw new TypeError("Network connection lost.");
      // Never answers: only the attempt's time budget ends it.
      return new Promise<Response>((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    }, sleeps);
    const err = await callVendor(ctx, { method: "POST", path: "/slow" }, { vendor: "Acme", timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as OutboundError).retryable).toBe(true);
    expect((err as OutboundError).status).toBeNull();
    expect((err as OutboundError).message).toMatch(/Acme .*timed out/);
    expect(n).toBe(3);
    expect(sleeps).toEqual([250, 500]);
  });

  it("caps the backoff at 5 s", async () => {
    const sleeps: number[] = [];
    const ctx = stubCtx(async () => new Response("busy", { status: 502 }), sleeps);
    await callVendor(ctx, { method: "GET", path: "/" }, { vendor: "Acme", attempts: 7 }).catch(() => null);
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000]);
  });

  it("reads Retry-After as an HTTP date too", async () => {
    const now = Date.parse("2026-11-01T10:00:00Z");
    expect(parseRetryAfter("Sun, 01 Nov 2026 10:00:07 GMT", now)).toBe(7);
    expect(parseRetryAfter("Sun, 01 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("0", now)).toBe(0);

    const sleeps: number[] = [];
    const ctx = stubCtx(async () => new Response("", { status: 503, headers: { "retry-after": "Sun, 01 Nov 2026 10:05:00 GMT" } }), sleeps);
    const err = await callVendor(ctx, { method: "GET", path: "/" }, { vendor: "Acme", now: () => now }).catch((e: unknown) => e);
    expect((err as OutboundError).retryable).toBe(true);
    expect((err as OutboundError).retryAfterSeconds).toBe(300);
    expect(sleeps).toEqual([]);
  });

  it("does not follow a redirect on a POST (a merged conversation) and does not retry it", async () => {
    let n = 0;
    const ctx = stubCtx(async () => {
      n++;
      return new Response(null, { status: 301, headers: { location: "https://api.example.com/conversations/2" } });
    });
    const err = await callVendor(ctx, { method: "POST", path: "/conversations/1/reply" }, { vendor: "Acme" }).catch((e: unknown) => e);
    expect((err as OutboundError).retryable).toBe(false);
    expect((err as OutboundError).status).toBe(301);
    expect(n).toBe(1);
  });

  it("never puts a credential into the message, even when the vendor echoes it", async () => {
    const ctx = stubCtx(async () => Response.json({ error: "bad token sk-very-secret-value" }, { status: 403 }));
    const err = (await callVendor(ctx, { method: "GET", path: "/" }, { vendor: "Acme" }).catch((e: unknown) => e)) as OutboundError;
    expect(err.message).toContain("Acme");
    expect(err.message).toContain("403");
    expect(err.message).toContain("bad token [redacted]");
    expect(err.message).not.toContain("sk-very-secret-value");
  });

  it("refuses a base URL that still has the settings placeholder", async () => {
    const ctx = { ...stubCtx(async () => Response.json({})), baseUrl: "https://{subdomain}.zendesk.com" };
    const err = (await callVendor(ctx, { method: "GET", path: "/" }, { vendor: "Zendesk" }).catch((e: unknown) => e)) as OutboundError;
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/placeholder/);
  });
});

// ── triage write-back ───────────────────────────────────────────────────────

describe("triage write-back", () => {
  const FIELDS: TriageFields = { tags: ["triage-billing", "lang-de", "urgency-high"], priority: "high", category: "billing", language: "de" };
  const caseOf = (vendor: FakeVendor) => CASES.find((c) => c.vendor === vendor)!;
  const write = (vendor: FakeVendor, id: string, fields: TriageFields = FIELDS) => {
    const { ctx } = makeCtx(vendor, { key: `task_${id}:triage` });
    return OUTBOUND[vendor]!.writeTriage!(ctx, target(caseOf(vendor), id), fields);
  };
  async function seed(vendor: FakeVendor, id: string, tags: string[], priority?: string | number) {
    const res = await fetch(`${FAKE}/_fake/ticket`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ vendor, id, tags, priority }),
    });
    expect(res.status).toBe(200);
  }
  /** The API calls after seeding, as method + path + body. */
  const calls = async (vendor: FakeVendor) => apiCalls(await fakeState(vendor)).map((r) => ({ method: r.method, path: r.path, body: r.body }));

  it("every help desk says what it takes: priority where it has one, tags everywhere", () => {
    const taken = Object.fromEntries(Object.entries(OUTBOUND).map(([id, c]) => [id, c!.writeTriage ? c!.triageFields : undefined]));
    expect(taken).toEqual({
      zendesk: ["tags", "priority"],
      freshdesk: ["tags", "priority"],
      zammad: ["tags", "priority"],
      chatwoot: ["tags", "priority"],
      helpscout: ["tags"],
      intercom: ["tags"],
      front: ["tags"],
    });
  });

  it("Zendesk: one ticket update adding tags (never replacing) and setting the priority, with an idempotency key", async () => {
    const id = numericId();
    await seed("zendesk", id, ["vip"]);
    const written = await write("zendesk", id);
    const state = await fakeState("zendesk");
    const [call, ...rest] = apiCalls(state);
    expect(rest).toEqual([]);
    expect(call).toMatchObject({ method: "PUT", path: `/api/v2/tickets/${id}`, body: { ticket: { additional_tags: FIELDS.tags, priority: "high" } } });
    caseOf("zendesk").checkAuth(call!.headers);
    expect(call!.headers["idempotency-key"]).toBe(`task_${id}:triage`);
    expect(state.tickets[`zendesk:${id}`]).toEqual({ tags: ["vip", ...FIELDS.tags], priority: "high" });
    expect(written).toEqual({ remoteId: id, tags: ["vip", ...FIELDS.tags], priority: "high" });
  });

  it("Freshdesk: reads the ticket and merges its tags (PUT replaces them), priority 1-4", async () => {
    const id = numericId();
    await seed("freshdesk", id, ["vip", "Billing"], 1);
    const written = await write("freshdesk", id, { ...FIELDS, tags: [...FIELDS.tags, "billing"], priority: "urgent" });
    const merged = ["vip", "Billing", ...FIELDS.tags];
    expect(await calls("freshdesk")).toEqual([
      { method: "GET", path: `/api/v2/tickets/${id}`, body: null },
      { method: "PUT", path: `/api/v2/tickets/${id}`, body: { tags: merged, priority: 4 } },
    ]);
    expect((await fakeState("freshdesk")).tickets[`freshdesk:${id}`]).toEqual({ tags: merged, priority: 4 });
    expect(written).toMatchObject({ tags: merged, priority: 4 });
  });

  it("Zammad: one tags/add per tag, then the priority by its default name (urgent becomes 3 high)", async () => {
    const id = numericId();
    await seed("zammad", id, ["vip"]);
    const written = await write("zammad", id, { ...FIELDS, priority: "urgent" });
    expect(await calls("zammad")).toEqual([
      ...FIELDS.tags.map((item) => ({ method: "POST", path: "/api/v1/tags/add", body: { item, object: "Ticket", o_id: Number(id) } })),
      { method: "PUT", path: `/api/v1/tickets/${id}`, body: { priority: "3 high" } },
    ]);
    expect((await fakeState("zammad")).tickets[`zammad:${id}`]).toEqual({ tags: ["vip", ...FIELDS.tags], priority: "3 high" });
    expect(written.priority).toBe("3 high");
    await write("zammad", id, { ...FIELDS, tags: [], priority: "normal" });
    expect((await fakeState("zammad")).tickets[`zammad:${id}`]!.priority).toBe("2 normal");
  });

  it("Help Scout: reads the conversation's tags and sends the merged list (PUT replaces it); no priority", async () => {
    const id = numericId();
    await seed("helpscout", id, ["vip"]);
    const written = await write("helpscout", id);
    expect(await calls("helpscout")).toEqual([
      { method: "GET", path: `/v2/conversations/${id}`, body: null },
      { method: "PUT", path: `/v2/conversations/${id}/tags`, body: { tags: ["vip", ...FIELDS.tags] } },
    ]);
    expect((await fakeState("helpscout")).tickets[`helpscout:${id}`]).toEqual({ tags: ["vip", ...FIELDS.tags], priority: null });
    expect(written).toEqual({ remoteId: id, tags: ["vip", ...FIELDS.tags], priority: null });
  });

  it("Intercom: finds or creates each tag by name, then attaches it by id as the admin; no priority", async () => {
    const id = numericId();
    await write("intercom", id);
    const first = apiCalls(await fakeState("intercom"));
    expect(first.map((r) => [r.method, r.path])).toEqual(
      FIELDS.tags.flatMap(() => [
        ["POST", "/tags"],
        ["POST", `/conversations/${id}/tags`],
      ]),
    );
    expect(first.filter((r) => r.path === "/tags").map((r) => r.body)).toEqual(FIELDS.tags.map((name) => ({ name })));
    const attached = first.filter((r) => r.path !== "/tags");
    for (const r of attached) {
      expect(r.body).toEqual({ id: expect.any(String), admin_id: C.intercom.admin_id });
      caseOf("intercom").checkAuth(r.headers);
    }
    // The same name is the same tag: a second ticket reuses the ids.
    const other = numericId();
    await write("intercom", other);
    const again = apiCalls(await fakeState("intercom")).filter((r) => r.path === `/conversations/${other}/tags`);
    expect(again.map((r) => r.body)).toEqual(attached.map((r) => r.body));
    expect((await fakeState("intercom")).tickets[`intercom:${id}`]).toEqual({ tags: FIELDS.tags, priority: null });
  });

  it("Front: lists the company's tags, creates only the missing ones, attaches them all in one call; no priority", async () => {
    const id = `cnv_${(++counter).toString(36)}`;
    // A tag that exists already (on another conversation): found, not created again.
    await seed("front", "cnv_seed", ["triage-billing"]);
    await write("front", id);
    const state = await fakeState("front");
    const made = apiCalls(state);
    expect(made.map((r) => [r.method, r.path.split("?")[0]])).toEqual([
      ["GET", "/tags"],
      ["POST", "/tags"],
      ["POST", "/tags"],
      ["POST", `/conversations/${id}/tags`],
    ]);
    expect(made.filter((r) => r.method === "POST" && r.path === "/tags").map((r) => r.body)).toEqual([{ name: "lang-de" }, { name: "urgency-high" }]);
    expect(made.at(-1)!.body).toEqual({ tag_ids: [expect.stringMatching(/^tag_/), expect.stringMatching(/^tag_/), expect.stringMatching(/^tag_/)] });
    expect(state.tickets[`front:${id}`]).toEqual({ tags: FIELDS.tags, priority: null });
  });

  it("Front: follows the tag list's pages", async () => {
    await seed("front", "cnv_many", Array.from({ length: 120 }, (_, i) => `old-${i}`).concat(["lang-de"]));
    const id = `cnv_${(++counter).toString(36)}`;
    await write("front", id, { ...FIELDS, tags: ["lang-de"] });
    const made = apiCalls(await fakeState("front"));
    expect(made.filter((r) => r.path.startsWith("/tags") && r.method === "GET")).toHaveLength(2);
    expect(made.filter((r) => r.method === "POST" && r.path === "/tags")).toHaveLength(0);
  });

  it("Chatwoot: reads the labels and sends the merged list (it replaces them), then toggles the priority (normal is medium)", async () => {
    const id = numericId();
    await seed("chatwoot", id, ["vip"]);
    const base = `/api/v1/accounts/${C.chatwoot.account_id}/conversations/${id}`;
    const written = await write("chatwoot", id, { ...FIELDS, priority: "normal" });
    expect(await calls("chatwoot")).toEqual([
      { method: "GET", path: `${base}/labels`, body: null },
      { method: "POST", path: `${base}/labels`, body: { labels: ["vip", ...FIELDS.tags] } },
      { method: "POST", path: `${base}/toggle_priority`, body: { priority: "medium" } },
    ]);
    expect((await fakeState("chatwoot")).tickets[`chatwoot:${id}`]).toEqual({ tags: ["vip", ...FIELDS.tags], priority: "medium" });
    expect(written).toEqual({ remoteId: id, tags: ["vip", ...FIELDS.tags], priority: "medium" });
  });

  it("writes only what is chosen: tags without a priority, or a priority without tags", async () => {
    const zd = numericId();
    await write("zendesk", zd, { ...FIELDS, priority: null });
    expect((await calls("zendesk"))[0]!.body).toEqual({ ticket: { additional_tags: FIELDS.tags } });
    const cw = numericId();
    await write("chatwoot", cw, { ...FIELDS, tags: [] });
    expect((await calls("chatwoot")).map((r) => r.path)).toEqual([`/api/v1/accounts/${C.chatwoot.account_id}/conversations/${cw}/toggle_priority`]);
    const fd = numericId();
    await write("freshdesk", fd, { ...FIELDS, tags: [] });
    expect(await calls("freshdesk")).toEqual([{ method: "PUT", path: `/api/v2/tickets/${fd}`, body: { priority: 3 } }]);
  });

  it("a refusal (4xx) is final and names the vendor; a 5xx is retried", async () => {
    const err = (await write("freshdesk", FAKE_MISSING_ID).catch((e: unknown) => e)) as OutboundError;
    expect(err).toBeInstanceOf(OutboundError);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^Freshdesk API GET \/api\/v2\/tickets\/404 failed: 404/);
    await script({ vendor: "zendesk", status: 503, times: 1 });
    const id = numericId();
    await write("zendesk", id);
    expect(apiCalls(await fakeState("zendesk")).map((r) => r.status)).toEqual([503, 200]);
  });
});
