// Knowledge importers (<vendor>/knowledge.ts) against the fake help desks
// (test/fakes/help-desks.ts), which serve the vendor-neutral docs and saved
// replies of help-desk-fixtures.ts in each vendor's wire format, two items a
// page. Runs inside workerd; every request goes to this file's own knowledge
// space of the fake (`/<vendor>/~<space>`), so the other test files' resets
// and scripted failures never meet these.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  FAKE_HELPDESK_CREDENTIALS,
  FAKE_KNOWLEDGE_DOCS,
  FAKE_KNOWLEDGE_IDS,
  FAKE_SAVED_REPLIES,
  type FakeKnowledgeChange,
  type FakeKnowledgeDoc,
  type FakeKnowledgeRequest,
  type FakeVendor,
  sourceDocOf,
} from "../../test/fakes/help-desk-fixtures";
import { languageOf, nextPath } from "./common/knowledge";
import type { CallContext } from "./common/vendor-http";
import { docsBaseUrl } from "./helpscout/knowledge";
import { KNOWLEDGE } from "./registry";
import { type ImportedArticle, OutboundError, SOURCE_IDS } from "./types";

const FAKE = env.FAKE_HELPDESK_URL!;
const SPACE = `knowledge-test-${crypto.randomUUID().slice(0, 8)}`;
const KID = FAKE_KNOWLEDGE_IDS;

function makeCtx(vendor: FakeVendor, credentials: Record<string, string> = { ...FAKE_HELPDESK_CREDENTIALS[vendor] }) {
  const sleeps: number[] = [];
  const ctx: CallContext = {
    baseUrl: `${FAKE}/${vendor}/~${SPACE}`,
    credentials,
    idempotencyKey: "knowledge-sync",
    fetch: (input, init) => fetch(input, init),
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  };
  return { ctx, sleeps };
}

async function importAll(vendor: FakeVendor, ctx = makeCtx(vendor).ctx): Promise<ImportedArticle[]> {
  const out: ImportedArticle[] = [];
  for await (const item of KNOWLEDGE[vendor]!.list(ctx)) out.push(item);
  return out;
}

async function change(c: Omit<FakeKnowledgeChange, "space">): Promise<void> {
  const res = await fetch(`${FAKE}/_fake/knowledge`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...c, space: SPACE }),
  });
  expect(res.status).toBe(200);
}

async function requestsOf(vendor: FakeVendor): Promise<FakeKnowledgeRequest[]> {
  const res = await fetch(`${FAKE}/_fake/knowledge?space=${SPACE}&vendor=${vendor}`);
  return ((await res.json()) as { requests: FakeKnowledgeRequest[] }).requests;
}

const doc = (n: number) => FAKE_KNOWLEDGE_DOCS.find((d) => d.n === n)!;
const reply = (n: number) => FAKE_SAVED_REPLIES.find((r) => r.n === n)!;
/** What every importer must bring in: the published docs and the shared saved replies. */
const PUBLISHED_DOCS = FAKE_KNOWLEDGE_DOCS.filter((d) => d.state === "published").map((d) => d.n);
const SHARED_REPLIES = FAKE_SAVED_REPLIES.filter((r) => r.state === "shared").map((r) => r.n);

interface VendorCase {
  vendor: FakeVendor;
  /** Our id of a doc's import, as the importer names it for this vendor. */
  docId(d: FakeKnowledgeDoc): string;
  /** Our id of a saved reply's import; null where the vendor has no saved replies. */
  replyId: ((n: number) => string) | null;
  /** The English doc 1, its German translation (doc 2) and saved reply 1, as imported. */
  english: Omit<ImportedArticle, "externalId">;
  german: Partial<ImportedArticle>;
  reply?: Omit<ImportedArticle, "externalId">;
  /** Credentials the fake refuses, and what the error says. */
  wrong: Record<string, string>;
  unauthorized: RegExp;
}

const base = (vendor: FakeVendor) => `${FAKE}/${vendor}/~${SPACE}`;
const articleOf = (n: number, rest: Partial<ImportedArticle>): Omit<ImportedArticle, "externalId"> => ({
  kind: "article",
  title: doc(n).title,
  body: doc(n).html,
  format: "html",
  url: null,
  language: null,
  tags: doc(n).tags,
  updatedAt: doc(n).updatedAt,
  ...rest,
});
const replyOf = (n: number, rest: Partial<ImportedArticle> = {}): Omit<ImportedArticle, "externalId"> => ({
  kind: "saved_reply",
  title: reply(n).title,
  body: reply(n).html,
  format: "html",
  url: null,
  language: null,
  tags: [],
  updatedAt: reply(n).updatedAt,
  ...rest,
});
const C = FAKE_HELPDESK_CREDENTIALS;

const CASES: VendorCase[] = [
  {
    vendor: "zendesk",
    docId: (d) => `article:${KID.zendesk.article(sourceDocOf(d))}:${d.lang === "en" ? "en-us" : d.lang}`,
    replyId: (n) => `macro:${KID.zendesk.reply(n)}`,
    english: articleOf(1, { url: "https://example.zendesk.com/hc/en-us/articles/360001-reset-your-password", language: "en" }),
    german: { title: "Passwort zurücksetzen", language: "de", url: expect.stringMatching(/^https:\/\/example\.zendesk\.com\/hc\/de\/articles\/360001-/) },
    reply: replyOf(1),
    wrong: { ...C.zendesk, api_token: "not-the-token" },
    unauthorized: /^Zendesk API GET \/api\/v2\/help_center\/locales\.json failed: 401 Unauthorized - Couldn't authenticate you$/,
  },
  {
    vendor: "helpscout",
    docId: (d) => `docs:${KID.helpscout.article(d.n)}`,
    replyId: (n) => `saved-reply:${KID.helpscout.reply(n)}`,
    // Docs articles name no language: detected on import.
    english: articleOf(1, { url: "https://example.helpscoutdocs.com/article/1-reset-your-password" }),
    german: { title: "Passwort zurücksetzen", language: null },
    reply: replyOf(1, { updatedAt: null }),
    wrong: { ...C.helpscout, docs_api_key: "not-the-key" },
    unauthorized: /^Help Scout Docs API GET \/collections failed: 401 Unauthorized - Invalid API key$/,
  },
  {
    vendor: "intercom",
    docId: (d) => `article:${KID.intercom.article(sourceDocOf(d))}:${d.lang}`,
    replyId: null,
    english: articleOf(1, { url: "https://intercom.help/example/en/articles/8801-reset-your-password", language: "en", tags: [] }),
    german: { title: "Passwort zurücksetzen", language: "de", url: expect.stringMatching(/^https:\/\/intercom\.help\/example\/de\/articles\/8801-/) },
    wrong: { ...C.intercom, access_token: "not-the-token" },
    unauthorized: /^Intercom API GET \/articles failed: 401 Unauthorized - Access Token Invalid$/,
  },
  {
    vendor: "freshdesk",
    docId: (d) => `article:${KID.freshdesk.article(d.n)}`,
    replyId: (n) => `canned:${KID.freshdesk.reply(n)}`,
    english: articleOf(1, { url: `${base("freshdesk")}/support/solutions/articles/44001` }),
    german: { title: "Passwort zurücksetzen", language: null, url: `${base("freshdesk")}/support/solutions/articles/44002` },
    reply: replyOf(1),
    wrong: { api_key: "not-the-key" },
    unauthorized: /^Freshdesk API GET \/api\/v2\/solutions\/categories failed: 401 Unauthorized - You have to be logged in to perform this action\.$/,
  },
  {
    vendor: "zammad",
    docId: (d) => `answer:${KID.zammad.article(sourceDocOf(d))}:${{ en: "en-us", de: "de-de", fr: "fr-fr" }[d.lang]}`,
    replyId: (n) => `text-module:${KID.zammad.reply(n)}`,
    english: articleOf(1, { url: `${base("zammad")}/help/en-us/1/11`, language: "en" }),
    // The translation changed after the answer: its own date counts.
    german: { title: "Passwort zurücksetzen", language: "de", url: `${base("zammad")}/help/de-de/1/11`, updatedAt: doc(2).updatedAt, tags: doc(1).tags },
    reply: replyOf(1, { tags: ["thanks", "for", "waiting"] }),
    wrong: { token: "not-the-token" },
    unauthorized: /^Zammad API POST \/api\/v1\/knowledge_bases\/init failed: 401 Unauthorized - Can't find User for Token$/,
  },
  {
    vendor: "chatwoot",
    docId: (d) => `article:${KID.chatwoot.article(d.n)}`,
    replyId: (n) => `canned:${KID.chatwoot.reply(n)}`,
    english: articleOf(1, { body: doc(1).markdown, format: "markdown", url: `${base("chatwoot")}/hc/help/articles/501-reset-your-password`, language: "en" }),
    german: { title: "Passwort zurücksetzen", language: "de", body: doc(2).markdown, url: expect.stringMatching(/\/hc\/help\/articles\/502-/) },
    reply: replyOf(1, { title: "thanks-for-waiting", body: "Hi {{name}},Thanks for your patience & sorry for the wait.", format: "text" }),
    wrong: { ...C.chatwoot, api_access_token: "not-the-token" },
    unauthorized: /^Chatwoot API GET \/api\/v1\/accounts\/7\/portals failed: 401 Unauthorized - Invalid Access Token$/,
  },
  {
    vendor: "front",
    docId: (d) => `article:${KID.front.article(sourceDocOf(d))}:${d.lang}`,
    replyId: (n) => `template:${KID.front.reply(n)}`,
    // Front names no public address for a knowledge base.
    english: articleOf(1, { language: "en" }),
    german: { title: "Passwort zurücksetzen", language: "de", url: null },
    reply: replyOf(1, { updatedAt: null }),
    wrong: { ...C.front, api_token: "not-the-token" },
    unauthorized: /^Front API GET \/knowledge_bases failed: 401 Unauthorized - Unauthorized; Unauthenticated$/,
  },
];

/** The ids a full import of `vendor` must yield, nothing more. */
function expectedIds(c: VendorCase, docs = PUBLISHED_DOCS, replies = SHARED_REPLIES): string[] {
  const ids = docs.map((n) => c.docId(doc(n)));
  if (c.replyId) ids.push(...replies.map(c.replyId));
  return ids.sort();
}

const idsOf = (items: ImportedArticle[]) => items.map((i) => i.externalId).sort();

describe("knowledge registry", () => {
  it("has an importer with a label for every help desk with an outbound connector, none for generic", () => {
    expect(KNOWLEDGE.generic).toBeUndefined();
    for (const source of SOURCE_IDS.filter((s) => s !== "generic")) {
      expect(KNOWLEDGE[source], source).toBeDefined();
      expect(KNOWLEDGE[source]!.label).toMatch(/\w/);
    }
  });
});

describe.each(CASES)("$vendor knowledge", (c) => {
  it("lists every published article and shared saved reply across all pages, each once", async () => {
    const items = await importAll(c.vendor);
    expect(idsOf(items)).toEqual(expectedIds(c));
    expect(new Set(items.map((i) => i.externalId)).size).toBe(items.length);
    // Lists really were paged: some list was asked for more than one page.
    const lists = (await requestsOf(c.vendor)).map((r) => r.path).filter((p) => /[?&](page|page_token|page\[after\])=/.test(p));
    expect(lists.some((p) => !/[?&](page|page_token)=1(&|$)/.test(p))).toBe(true);
  });

  it("leaves out drafts, agents-only and archived articles, personal and inactive replies", async () => {
    const items = await importAll(c.vendor);
    const titles = items.map((i) => i.title);
    for (const n of [5, 6, 7]) expect(titles).not.toContain(doc(n).title);
    for (const n of [4, 5]) expect(titles).not.toContain(reply(n).title);
    // A French draft translation does not hide its published English article.
    expect(idsOf(items)).toContain(c.docId(doc(3)));
    expect(titles).not.toContain("Old FAQ");
    expect(titles).not.toContain("Close and tag");
  });

  it("maps title, body, format, url, language, tags, kind and date", async () => {
    const items = await importAll(c.vendor);
    const byId = new Map(items.map((i) => [i.externalId, i]));
    expect(byId.get(c.docId(doc(1)))).toEqual({ externalId: c.docId(doc(1)), ...c.english });
    expect(byId.get(c.docId(doc(2)))).toMatchObject({ kind: "article", ...c.german });
    if (c.replyId) expect(byId.get(c.replyId(1))).toEqual({ externalId: c.replyId(1), ...c.reply });
    // HTML arrives as the vendor gives it, markup and all: worker/knowledge turns it into text.
    if (c.english.format === "html") expect(byId.get(c.docId(doc(1)))!.body).toContain("<script>");
  });

  it("a deletion in the help desk is gone from the next listing", async () => {
    const before = await importAll(c.vendor);
    await change({ vendor: c.vendor, remove: { docs: [3], replies: [2] } });
    try {
      const after = await importAll(c.vendor);
      const gone = [c.docId(doc(3)), ...(c.replyId ? [c.replyId(2)] : [])];
      expect(idsOf(after)).toEqual(idsOf(before).filter((id) => !gone.includes(id)));
      expect(idsOf(after)).toEqual(
        expectedIds(
          c,
          PUBLISHED_DOCS.filter((n) => n !== 3),
          SHARED_REPLIES.filter((n) => n !== 2),
        ),
      );
    } finally {
      await change({ vendor: c.vendor, reset: true });
    }
  });

  it("a 401 surfaces as a final OutboundError that says what failed", async () => {
    const { ctx } = makeCtx(c.vendor, c.wrong);
    const err = await importAll(c.vendor, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect((err as Error).message).toMatch(c.unauthorized);
    for (const secret of Object.values(c.wrong)) if (secret.length >= 4) expect((err as Error).message).not.toContain(secret);
  });

  it("waits out a 429 as Retry-After asks and completes the listing", async () => {
    const seen = (await requestsOf(c.vendor)).length;
    await change({ vendor: c.vendor, fail: { status: 429, times: 1, retryAfter: 2 } });
    const { ctx, sleeps } = makeCtx(c.vendor);
    const items = await importAll(c.vendor, ctx);
    expect(idsOf(items)).toEqual(expectedIds(c));
    expect(sleeps).toEqual([2000]);
    const [limited, retried] = (await requestsOf(c.vendor)).slice(seen).filter((r) => !r.path.startsWith("/v2/oauth2/token"));
    expect(limited!.status).toBe(429);
    expect(retried).toMatchObject({ path: limited!.path, status: 200 });
  });
});

describe("Help Scout", () => {
  it("without a Docs API key imports the saved replies only", async () => {
    const { docs_api_key: _, ...credentials } = FAKE_HELPDESK_CREDENTIALS.helpscout;
    const items = await importAll("helpscout", makeCtx("helpscout", credentials).ctx);
    expect(idsOf(items)).toEqual(SHARED_REPLIES.map((n) => `saved-reply:${KID.helpscout.reply(n)}`).sort());
  });

  it("reads Docs beside the Mailbox API: its own host in production, under the base elsewhere", () => {
    expect(docsBaseUrl("https://api.helpscout.net")).toBe("https://docsapi.helpscout.net/v1");
    expect(docsBaseUrl("https://api.helpscout.net/")).toBe("https://docsapi.helpscout.net/v1");
    expect(docsBaseUrl("http://127.0.0.1:8787/helpscout")).toBe("http://127.0.0.1:8787/helpscout/docsapi/v1");
  });
});

describe("paging and locale helpers", () => {
  it("keeps a next link's path and query under our base URL, whatever host the vendor names", () => {
    expect(nextPath("https://acme.zendesk.com", "https://acme.zendesk.com/api/v2/macros.json?page=2")).toBe("/api/v2/macros.json?page=2");
    // A foreign host never receives the credentials: only its path is kept.
    expect(nextPath("https://api2.frontapp.com", "https://evil.example/message_templates?page_token=x")).toBe("/message_templates?page_token=x");
    expect(nextPath("http://127.0.0.1:9/zendesk/~s", "http://127.0.0.1:9/zendesk/~s/api/v2/macros.json?page=3")).toBe("/api/v2/macros.json?page=3");
    expect(nextPath("https://acme.zendesk.com", null)).toBeNull();
    expect(nextPath("https://acme.zendesk.com", "")).toBeNull();
  });

  it("reads the language of vendor locales", () => {
    expect(["de-de", "pt_BR", "en-US", "fr", "zh-CN", "", "x", null].map(languageOf)).toEqual(["de", "pt", "en", "fr", "zh", null, null, null]);
  });
});
