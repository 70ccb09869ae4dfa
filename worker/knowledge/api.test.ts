// The knowledge REST API and its access rules (worker/http/routes.ts →
// worker/knowledge/requests.ts): every status a caller can meet, roles and
// personal-token scopes, accounts kept apart, "Sync now" and the account
// agent's six-hourly re-sync (against a stubbed Intercom articles API).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getAgentByName } from "agents";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FAKE_HELPDESK_CREDENTIALS } from "../../test/fakes/help-desk-fixtures";
import { ACCOUNT, api, enableSource, OTHER_ACCOUNT, signIn, USERS } from "../../test/fixtures";
import { setOutbound } from "../integrations/connector-settings";
import { OUTBOUND } from "../integrations/registry";
import { searchKnowledge } from "./search";
import { listSyncs } from "./store";

const base = (account = ACCOUNT) => `/api/accounts/${account}/knowledge`;

const REFUND = {
  title: "Refund a double charge",
  body: "If your card was charged twice for the same invoice, we refund the duplicate charge.\n\n1. Open **Billing → Invoices**.\n2. Choose *Request refund*.",
  url: "https://help.example/refund",
  language: "en",
  tags: ["billing"],
};

interface Article {
  id: string;
  title: string;
  body: string;
  source: string;
  language: string;
  url: string | null;
}
interface Hit {
  id: string;
  title: string;
  url: string | null;
  snippet: string;
  score: number;
}

const post = (token: string, body: unknown, account = ACCOUNT, headers?: Record<string, string>) =>
  api(`${base(account)}/articles`, { method: "POST", token, headers, body: typeof body === "string" ? body : JSON.stringify(body) });

async function add(token: string, body: unknown = REFUND, account = ACCOUNT): Promise<Article> {
  const res = await post(token, body, account);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Article;
}

async function search(token: string, q: string, account = ACCOUNT): Promise<Hit[]> {
  const res = await api(`${base(account)}/search?q=${encodeURIComponent(q)}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { hits: Hit[] }).hits;
}

async function createToken(sessionToken: string, scopes: string[]) {
  const res = await api(`/api/accounts/${ACCOUNT}/tokens`, {
    method: "POST",
    token: sessionToken,
    body: JSON.stringify({ name: `kb ${scopes.join(" ")}`, scopes }),
  });
  return res;
}

async function tokenWith(sessionToken: string, scopes: string[]): Promise<string> {
  const res = await createToken(sessionToken, scopes);
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const fieldsOf = async (res: Response) => ((await res.json()) as { fields?: { path: string; message: string }[] }).fields?.map((f) => f.path) ?? [];

describe("knowledge API: articles", () => {
  it("lets an admin add, read, list, find and delete an article", async () => {
    const admin = await signIn(USERS.admin.email);
    const article = await add(admin);
    expect(article).toMatchObject({ title: REFUND.title, url: REFUND.url, language: "en", source: "manual", kind: "article", tags: ["billing"] });
    expect(article.id).toMatch(/^kb_[0-9a-f]{20}$/);
    expect(article.body).not.toContain("**");

    const read = await api(`${base()}/articles/${article.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: article.id, body: article.body });

    const listed = await api(`${base()}/articles`, { token: admin });
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { articles: Article[]; next: string | null; total: number };
    expect(page.articles.map((a) => a.id)).toContain(article.id);
    expect(page.articles[0]).not.toHaveProperty("body");

    const hits = await search(admin, "I was charged twice on my invoice, can I get a refund?");
    expect(hits[0]).toMatchObject({ id: article.id, title: REFUND.title, url: REFUND.url });
    expect(Object.keys(hits[0]!).sort()).toEqual(["id", "kind", "language", "score", "snippet", "title", "url"]);
    expect(hits[0]!.score).toBeGreaterThan(0);
    expect(hits[0]!.score).toBeLessThanOrEqual(1);

    const deleted = await api(`${base()}/articles/${article.id}`, { method: "DELETE", token: admin });
    expect(deleted.status).toBe(204);
    expect((await api(`${base()}/articles/${article.id}`, { token: admin })).status).toBe(404);
    expect((await api(`${base()}/articles/${article.id}`, { method: "DELETE", token: admin })).status).toBe(404);
    expect((await search(admin, "refund a double charge")).map((h) => h.id)).not.toContain(article.id);
  });

  it("pages the list with its cursor and never answers more than a page", async () => {
    const admin = await signIn(USERS.admin.email);
    const source = `${base()}/articles?source=manual`;
    const before = ((await (await api(source, { token: admin })).json()) as { total: number }).total;
    for (let i = 0; i < 52 - before; i++) await add(admin, { title: `Paging article ${i}`, body: `About exports, part ${i}.` });
    const first = (await (await api(source, { token: admin })).json()) as { articles: Article[]; next: string; total: number };
    expect(first.total).toBeGreaterThanOrEqual(52);
    expect(first.articles).toHaveLength(50);
    expect(first.next).toEqual(expect.any(String));
    const res = await api(`${source}&cursor=${encodeURIComponent(first.next)}`, { token: admin });
    expect(res.status).toBe(200);
    const second = (await res.json()) as { articles: Article[]; next: string | null };
    expect(second.articles.length).toBe(first.total - 50);
    expect(second.next).toBeNull();
    expect(new Set([...first.articles, ...second.articles].map((a) => a.id)).size).toBe(first.total);
    // Imported sources filter too; nothing is imported here.
    expect(await (await api(`${base()}/articles?source=zendesk`, { token: admin })).json()).toMatchObject({ articles: [], total: 0 });
  });

  it("answers each bad request with its status and says what is wrong", async () => {
    const admin = await signIn(USERS.admin.email);
    const malformed = await post(admin, "{ not json");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "invalid JSON" });
    expect((await post(admin, "title=x", ACCOUNT, { "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    const huge = await post(admin, { title: "Huge", body: "x".repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: string }).error).toMatch(/body too large: the limit is 1024 KiB/);

    const cases: [unknown, string][] = [
      [{ body: "No title" }, "title"],
      [{ title: "  ", body: "Blank title" }, "title"],
      [{ title: "No body" }, "body"],
      [{ title: "Long", body: "x".repeat(200_001) }, "body"],
      [{ ...REFUND, url: "javascript:alert(1)" }, "url"],
      [{ ...REFUND, language: "klingon" }, "language"],
      [{ ...REFUND, kind: "macro" }, "kind"],
      [{ ...REFUND, format: "pdf" }, "format"],
      [{ ...REFUND, tags: "billing" }, "tags"],
      [{ ...REFUND, id: "kb_mine" }, "(body)"],
      [[REFUND], "(body)"],
    ];
    for (const [body, field] of cases) {
      const res = await post(admin, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(await fieldsOf(res), JSON.stringify(body).slice(0, 80)).toContain(field);
    }
    const languageError = await post(admin, { ...REFUND, language: "klingon" });
    expect(((await languageError.json()) as { fields: { message: string }[] }).fields[0]!.message).toMatch(/one of en, de/);

    for (const [path, field] of [
      [`${base()}/search`, "q"],
      [`${base()}/search?q=`, "q"],
      [`${base()}/search?q=refund&language=xx`, "language"],
      [`${base()}/search?q=refund&limit=500`, "limit"],
      [`${base()}/search?q=refund&sort=new`, "(query)"],
      [`${base()}/search?q=${"a".repeat(2001)}`, "q"],
      [`${base()}/articles?cursor=not-a-cursor`, "cursor"],
      [`${base()}/articles?source=dropbox`, "source"],
    ] as const) {
      const res = await api(path, { token: admin });
      expect(res.status, path.slice(0, 80)).toBe(400);
      expect(await fieldsOf(res), path.slice(0, 80)).toContain(field);
    }

    for (const id of ["kb_00000000000000000000", "nope", "kb_%27%20or%201%3D1"]) {
      const res = await api(`${base()}/articles/${id}`, { token: admin });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/^no knowledge article/);
      expect((await api(`${base()}/articles/${id}`, { method: "DELETE", token: admin })).status).toBe(404);
    }
    expect((await api(`${base()}/articles`, { method: "PUT", token: admin, body: "{}" })).status).toBe(405);
  });
});

describe("knowledge API: who may do what", () => {
  it("answers 401 without a session or token", async () => {
    for (const [method, path] of [
      ["GET", `${base()}/search?q=refund`],
      ["GET", `${base()}/articles`],
      ["GET", `${base()}/articles/kb_00000000000000000000`],
      ["POST", `${base()}/articles`],
      ["DELETE", `${base()}/articles/kb_00000000000000000000`],
      ["POST", `${base()}/sync`],
      ["GET", `${base()}/syncs`],
    ] as const) {
      const res = await api(path, { method, body: method === "POST" ? JSON.stringify(REFUND) : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it("lets every member read and search, and only admins write or sync", async () => {
    const admin = await signIn(USERS.admin.email);
    const article = await add(admin, { ...REFUND, title: "Members may read this" });
    for (const email of [USERS.agent.email, USERS.lead.email]) {
      const token = await signIn(email);
      expect((await search(token, "members read")).map((h) => h.id)).toContain(article.id);
      expect((await api(`${base()}/articles`, { token })).status).toBe(200);
      expect((await api(`${base()}/articles/${article.id}`, { token })).status).toBe(200);
      expect((await api(`${base()}/syncs`, { token })).status).toBe(200);

      const refused = await post(token, REFUND);
      expect(refused.status, email).toBe(403);
      expect(((await refused.json()) as { error: string }).error).toMatch(/needs the admin role/);
      expect((await api(`${base()}/articles/${article.id}`, { method: "DELETE", token })).status).toBe(403);
      expect((await api(`${base()}/sync`, { method: "POST", token })).status).toBe(403);
    }
    expect((await api(`${base()}/articles/${article.id}`, { token: admin })).status).toBe(200);
  });

  it("opens knowledge to personal tokens by scope: knowledge:read for members, knowledge:write for admins only", async () => {
    const agent = await signIn(USERS.agent.email);
    const admin = await signIn(USERS.admin.email);
    const article = await add(admin, { ...REFUND, title: "Token readable refund" });

    const reader = await tokenWith(agent, ["knowledge:read"]);
    expect((await search(reader, "token readable refund")).map((h) => h.id)).toContain(article.id);
    expect((await api(`${base()}/articles/${article.id}`, { token: reader })).status).toBe(200);
    const noWrite = await post(reader, REFUND);
    expect(noWrite.status).toBe(403);
    expect(await noWrite.json()).toEqual({ error: 'this token lacks the "knowledge:write" scope' });

    // An agent cannot put knowledge:write on a token at all.
    const tooHigh = await createToken(agent, ["knowledge:write"]);
    expect(tooHigh.status).toBe(403);
    expect(JSON.stringify(await tooHigh.json())).toContain("knowledge:write needs the admin role");

    // Without knowledge:read, a token cannot search.
    const tasksOnly = await tokenWith(agent, ["tasks:read"]);
    const refused = await api(`${base()}/search?q=refund`, { token: tasksOnly });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'this token lacks the "knowledge:read" scope' });

    // An admin's knowledge:write token adds, deletes and syncs, but does not read without knowledge:read.
    const writer = await tokenWith(admin, ["knowledge:write"]);
    const added = await add(writer, { ...REFUND, title: "Added by a script" });
    expect((await api(`${base()}/articles/${added.id}`, { method: "DELETE", token: writer })).status).toBe(204);
    expect((await api(`${base()}/sync`, { method: "POST", token: writer })).status).toBe(200);
    expect((await api(`${base()}/search?q=refund`, { token: writer })).status).toBe(403);
  });

  it("keeps accounts apart: another account's admin gets 404 and never finds them", async () => {
    const admin = await signIn(USERS.admin.email);
    const outsider = await signIn(USERS.outsider.email);
    const secret = await add(admin, { title: "Acme internal escalation path", body: "Escalate refunds over 500 EUR to finance via the acme-only channel." });

    // Through acme's paths: as for any stranger.
    for (const [method, path] of [
      ["GET", `${base()}/search?q=escalation`],
      ["GET", `${base()}/articles`],
      ["GET", `${base()}/articles/${secret.id}`],
      ["DELETE", `${base()}/articles/${secret.id}`],
      ["POST", `${base()}/articles`],
      ["POST", `${base()}/sync`],
      ["GET", `${base()}/syncs`],
    ] as const) {
      const res = await api(path, { method, token: outsider, body: method === "POST" ? JSON.stringify(REFUND) : undefined });
      const text = await res.text();
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(text).not.toContain("escalation path");
    }
    // Through their own account's paths, with acme's article id.
    expect((await api(`${base(OTHER_ACCOUNT)}/articles/${secret.id}`, { token: outsider })).status).toBe(404);
    expect((await api(`${base(OTHER_ACCOUNT)}/articles/${secret.id}`, { method: "DELETE", token: outsider })).status).toBe(404);
    expect(await search(outsider, "Acme internal escalation path refunds finance", OTHER_ACCOUNT)).toEqual([]);
    const theirs = (await (await api(`${base(OTHER_ACCOUNT)}/articles`, { token: outsider })).json()) as { articles: Article[] };
    expect(theirs.articles.map((a) => a.id)).not.toContain(secret.id);
    // Their own article with the same words stays theirs.
    const own = await add(outsider, { title: "Globex escalation path", body: "Escalate refunds to the Globex finance team." }, OTHER_ACCOUNT);
    expect((await search(outsider, "escalation path refunds", OTHER_ACCOUNT)).map((h) => h.id)).toEqual([own.id]);
    expect((await search(admin, "escalation path refunds")).map((h) => h.id)).not.toContain(own.id);

    // A token of acme cannot reach globex either.
    const reader = await tokenWith(admin, ["knowledge:read"]);
    expect((await api(`${base(OTHER_ACCOUNT)}/search?q=escalation`, { token: reader })).status).toBe(404);
    expect((await api(`${base()}/articles/${secret.id}`, { token: admin })).status).toBe(200);
  });
});

// ── syncs ───────────────────────────────────────────────────────────────────

/** Where the stubbed Intercom lives: loopback is allowed in tests (OUTBOUND_ALLOW_LOOPBACK). */
const INTERCOM = "http://127.0.0.1:9/kb-intercom";

/** Intercom's GET /articles (one page), answered in its documented shape; every other request goes out as usual. */
function stubIntercom(articles: { id: number; title: string; body: string }[]) {
  const realFetch = globalThis.fetch;
  const calls: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(INTERCOM)) return realFetch(request);
    calls.push(`${request.method} ${request.url.slice(INTERCOM.length)}`);
    if (request.headers.get("authorization") !== `Bearer ${FAKE_HELPDESK_CREDENTIALS.intercom.access_token}`)
      return Response.json({ type: "error.list", errors: [{ code: "unauthorized", message: "Access Token Invalid" }] }, { status: 401 });
    return Response.json({
      type: "list",
      data: articles.map((a) => ({ ...a, type: "article", state: "published", default_locale: "en", url: `https://help.example/articles/${a.id}` })),
      pages: { type: "pages", page: 1, per_page: 100, total_pages: 1 },
      total_count: articles.length,
    });
  });
  return calls;
}

async function connectIntercom(accountId: string) {
  await enableSource(env, accountId, "intercom", "kb-test-intercom-signing-secret-0123456789");
  await setOutbound(
    env,
    accountId,
    "intercom",
    { apiBaseUrl: INTERCOM, credentials: FAKE_HELPDESK_CREDENTIALS.intercom },
    OUTBOUND.intercom!.credentialFields,
    "test",
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("knowledge syncs", () => {
  it("syncs every connected source on an admin's 'Sync now' and shows each source's last sync", async () => {
    const admin = await signIn(USERS.admin.email);
    const before = (await (await api(`${base()}/syncs`, { token: admin })).json()) as { sources: { source: string; connected: boolean; lastSync: unknown }[] };
    expect(before.sources.find((s) => s.source === "intercom")).toMatchObject({ connected: false, lastSync: null });
    expect(before.sources.map((s) => s.source)).not.toContain("generic");

    await connectIntercom(ACCOUNT);
    const calls = stubIntercom([{ id: 41, title: "Export invoices as CSV", body: "<p>Open Billing, then <b>Export</b>.</p>" }]);
    const res = await api(`${base()}/sync`, { method: "POST", token: admin });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { source: string; status: string; counts: Record<string, number> | null }[] };
    expect(results.find((r) => r.source === "intercom")).toMatchObject({ status: "ok", counts: { seen: 1, added: 1, deleted: 0 } });
    // Sources without outbound credentials are not called.
    expect(results.filter((r) => r.source !== "intercom").every((r) => r.status === "not_connected")).toBe(true);
    expect(calls).toEqual(["GET /articles?page=1&per_page=100"]);

    const hits = await search(admin, "export invoices csv");
    expect(hits[0]).toMatchObject({ title: "Export invoices as CSV", url: "https://help.example/articles/41" });
    const after = (await (await api(`${base()}/syncs`, { token: await signIn(USERS.agent.email) })).json()) as {
      sources: { source: string; connected: boolean; lastSync: { status: string; counts: Record<string, number>; finishedAt: string } | null }[];
    };
    expect(after.sources.find((s) => s.source === "intercom")).toMatchObject({
      connected: true,
      lastSync: { status: "ok", counts: { added: 1 }, finishedAt: expect.any(String) },
    });
    const imported = (await (await api(`${base()}/articles?source=intercom`, { token: admin })).json()) as { articles: Article[] };
    expect(imported.articles.map((a) => a.title)).toEqual(["Export invoices as CSV"]);
  });

  it("re-syncs on the account agent's schedule: one six-hourly schedule however often it wakes, and its callback records the sync", async () => {
    const accountId = OTHER_ACCOUNT;
    await connectIntercom(accountId);
    stubIntercom([
      { id: 7, title: "Reset two-factor authentication", body: "<p>Ask an admin to reset it under Members.</p>" },
      { id: 8, title: "Change the billing email", body: "<p>Settings, then Billing.</p>" },
    ]);
    const agent = await getAgentByName(env.AccountAgent, accountId);
    await runInDurableObject(agent, async (instance) => {
      const mine = async () => (await instance.listSchedules()).filter((s) => s.callback === "syncKnowledge");
      expect(await mine()).toEqual([expect.objectContaining({ type: "interval", intervalSeconds: 6 * 60 * 60 })]);
      await instance.onStart();
      await instance.onStart();
      expect(await mine()).toHaveLength(1);

      // What the alarm runs when the schedule is due.
      const results = await instance.syncKnowledge();
      expect(results.find((r) => r.source === "intercom")).toMatchObject({ status: "ok", counts: { added: 2 } });
      expect((await instance.recentActions())[0]).toMatchObject({ action: "knowledge.synced" });
    });
    expect((await listSyncs(env, accountId)).find((s) => s.source === "intercom")).toMatchObject({ status: "ok", counts: { seen: 2, added: 2 } });
    expect((await searchKnowledge(env, accountId, "reset two-factor authentication"))[0]?.title).toBe("Reset two-factor authentication");
    // The other account's sync imported nothing into acme.
    expect(await searchKnowledge(env, ACCOUNT, "reset two-factor authentication")).toEqual([]);

    // A failed listing is recorded and deletes nothing.
    vi.restoreAllMocks();
    vi.spyOn(globalThis, "fetch").mockImplementation(async () =>
      Response.json({ type: "error.list", errors: [{ code: "unauthorized", message: "Access Token Invalid" }] }, { status: 401 }),
    );
    await runInDurableObject(agent, async (instance) => {
      const results = await instance.syncKnowledge();
      expect(results.find((r) => r.source === "intercom")).toMatchObject({ status: "failed", error: expect.stringMatching(/Intercom.*401|401.*Intercom/) });
    });
    expect((await listSyncs(env, accountId)).find((s) => s.source === "intercom")).toMatchObject({ status: "failed" });
    expect((await searchKnowledge(env, accountId, "reset two-factor authentication"))[0]?.title).toBe("Reset two-factor authentication");
  });
});
