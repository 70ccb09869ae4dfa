// The knowledge store and its search, on D1's real FTS5: conversion of HTML
// and Markdown, ranking, accounts kept apart, deletion, a sync's counts, and
// the semantic path against fakes of the AI and VECTORIZE bindings.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MATCH_THRESHOLD } from "./full-text";
import { searchKnowledge } from "./search";
import type { SemanticEnv } from "./semantic";
import { addArticle, backfillSemantic, deleteArticle, getArticle, listArticles, reindexTopics, replaceSource } from "./store";
import { toPlainText } from "./text";

const ADMIN = "user:admin@acme.test";
let n = 0;
const account = () => `kb-acct-${++n}-${Date.now()}`;

const REFUND = {
  title: "Refund a double charge",
  body: "If your card was charged twice for the same invoice, we refund the duplicate charge.\n\n1. Open **Billing → Invoices**.\n2. Find the duplicate invoice and choose *Request refund*.\n3. The refund reaches your card within 5 to 10 business days.",
  url: "https://help.example/refund",
  language: "en" as const,
};
const SSO = {
  title: "Set up single sign-on with Okta",
  body: "<h2>Before you start</h2><p>You need an Okta admin account.</p><script>alert(1)</script><ol><li>Open Settings → Security → SSO.</li><li>Paste the metadata URL.</li></ol>",
  url: "https://help.example/sso",
};

describe("knowledge text", () => {
  it("turns HTML into text without scripts, and Markdown into text with its steps", () => {
    const html = toPlainText(SSO.body, "html");
    expect(html).toContain("Open Settings → Security → SSO.");
    expect(html).not.toContain("alert");
    expect(html).not.toContain("<");
    const md = toPlainText(REFUND.body, "markdown");
    expect(md).toMatch(/1\. Open Billing → Invoices\./);
    expect(md).not.toContain("**");
  });
});

describe("knowledge store and search", () => {
  it("finds the article that answers a question, best first, with a snippet and a score", async () => {
    const acct = account();
    const refund = await addArticle(env, acct, REFUND, ADMIN);
    await addArticle(env, acct, SSO, ADMIN);
    expect(refund).toMatchObject({ title: REFUND.title, language: "en", source: "manual", kind: "article" });
    expect(refund.body).not.toContain("**");

    const hits = await searchKnowledge(env, acct, "I was charged twice on my invoice this month, can I get a refund?");
    expect(hits[0]).toMatchObject({ id: refund.id, title: REFUND.title, url: REFUND.url });
    expect(hits[0]!.snippet.length).toBeGreaterThan(10);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(0.5);
    expect(await searchKnowledge(env, acct, "the weather in Lisbon")).toEqual([]);
  });

  it("keeps an article that shares only body words with a long question below the answer threshold", async () => {
    const acct = account();
    await addArticle(env, acct, REFUND, ADMIN);
    // Eight of the question's words are in the refund article's body, none in its title.
    const question =
      "Our card for the business account: can we choose which invoice goes first, open the reports, and find the same business days for each duplicate shift?";
    const [hit] = await searchKnowledge(env, acct, question);
    expect(hit).toBeDefined();
    expect(hit!.score).toBeLessThan(MATCH_THRESHOLD);
    // The same words with one of the title's makes it a match again.
    const [titled] = await searchKnowledge(env, acct, `${question} Refund?`);
    expect(titled!.score).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
  });

  it("puts first the article whose later paragraphs are about the question's topic, before and after its topics are reindexed", async () => {
    const acct = account();
    const team = await addArticle(
      env,
      acct,
      {
        title: "Invite teammates and choose their role",
        body: "Admins invite people to the workspace and choose what each of them can do.\n\nWhen someone has left the company, deactivate them under Settings, Team: their tickets stay attributed to them.",
      },
      ADMIN,
    );
    // Shares more of the question's words ("morning", "team lead") but not its topic.
    await addArticle(
      env,
      acct,
      {
        title: "Your daily report",
        body: "Every morning each team lead receives a report of yesterday's tickets.\n\nChoose the hour it arrives under Settings, Reports.",
      },
      ADMIN,
    );
    for (const title of ["Export tickets to CSV", "Connect Slack", "Change your plan", "Set up the chat widget"])
      await addArticle(env, acct, { title, body: `${title}: open Settings and follow the steps on the page.` }, ADMIN);
    // "Fired" and "has left the company" are one topic (offboarding); BM25 alone ranks the daily report first.
    const question = "A colleague was fired this morning. What must her team lead do so that she cannot get in any more?";
    expect((await searchKnowledge(env, acct, question)).map((h) => h.title).slice(0, 2)).toEqual([team.title, "Your daily report"]);
    await env.DB.prepare("update knowledge_articles set topics = null where account_id = ?").bind(acct).run();
    expect((await searchKnowledge(env, acct, question))[0]!.id).toBe(team.id);

    // The scheduled reindex stores them again, rebuilding the index row and leaving the article as it was.
    const before = await env.DB.prepare("select content_hash, updated_at from knowledge_articles where id = ?").bind(team.id).first();
    expect(await reindexTopics(env, acct, 4)).toBe(4);
    expect(await reindexTopics(env, acct)).toBe(2);
    expect(await reindexTopics(env, acct)).toBe(0);
    const after = await env.DB.prepare("select content_hash, updated_at, topics from knowledge_articles where id = ?")
      .bind(team.id)
      .first<{ topics: string }>();
    expect(after).toMatchObject(before!);
    expect(after!.topics.split(" ")).toContain("ktoffboarding");
    const indexRows = await env.DB.prepare(
      "select count(*) as n from knowledge_fts where scope = (select scope from knowledge_fts where rowid = (select rowid from knowledge_articles where id = ?))",
    )
      .bind(team.id)
      .first<{ n: number }>();
    expect(indexRows!.n).toBe(6);
    expect((await searchKnowledge(env, acct, question)).map((h) => h.title).slice(0, 2)).toEqual([team.title, "Your daily report"]);
  });

  it("detects an article's language, and a question in German finds the German translation first", async () => {
    const acct = account();
    await addArticle(env, acct, REFUND, ADMIN);
    const de = await addArticle(
      env,
      acct,
      {
        title: "Doppelte Abbuchung erstatten",
        body: "Wurde Ihre Karte für dieselbe Rechnung doppelt belastet (double charge, refund), erstatten wir die doppelte Abbuchung. Öffnen Sie Abrechnung → Rechnungen und wählen Sie Erstattung anfordern.",
      },
      ADMIN,
    );
    expect(de.language).toBe("de");
    const hits = await searchKnowledge(env, acct, "Doppelte Abbuchung auf meiner Rechnung, bitte erstatten");
    expect(hits[0]!.id).toBe(de.id);
  });

  it("never finds another account's articles, and a deleted article is gone from search", async () => {
    const mine = account();
    const theirs = account();
    const article = await addArticle(env, theirs, REFUND, ADMIN);
    expect(await searchKnowledge(env, mine, "refund a double charge")).toEqual([]);
    expect(await getArticle(env, mine, article.id)).toBeNull();
    expect(await deleteArticle(env, mine, article.id, ADMIN)).toBe(false);

    expect((await searchKnowledge(env, theirs, "refund a double charge")).map((h) => h.id)).toEqual([article.id]);
    expect(await deleteArticle(env, theirs, article.id, ADMIN)).toBe(true);
    expect(await searchKnowledge(env, theirs, "refund a double charge")).toEqual([]);
    expect(await getArticle(env, theirs, article.id)).toBeNull();
  });

  it("keeps customer text out of the FTS5 syntax", async () => {
    const acct = account();
    await addArticle(env, acct, REFUND, ADMIN);
    for (const q of ['refund" OR scope:*', "NEAR(refund charge)", "refund*)) AND (", "-refund ^charge", "' ; drop table knowledge_fts; --"]) {
      await expect(searchKnowledge(env, acct, q)).resolves.toBeInstanceOf(Array);
    }
  });

  it("pages the article list with a cursor", async () => {
    const acct = account();
    for (let i = 0; i < 5; i++) await addArticle(env, acct, { title: `Article ${i}`, body: `Body of article number ${i} about exports.` }, ADMIN);
    const first = await listArticles(env, acct, { limit: 2 });
    expect(first).toMatchObject({ total: 5 });
    expect(first.articles).toHaveLength(2);
    const second = await listArticles(env, acct, { limit: 2, cursor: first.next });
    const third = await listArticles(env, acct, { limit: 2, cursor: second.next });
    const ids = [...first.articles, ...second.articles, ...third.articles].map((a) => a.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.next).toBeNull();
  });

  it("a sync adds, updates, keeps and deletes by what the source lists now", async () => {
    const acct = account();
    const draft = (id: string, body: string) => ({
      externalId: id,
      kind: "article" as const,
      title: `Guide ${id}`,
      body,
      format: "html" as const,
      url: null,
      language: "en",
      tags: ["guide"],
    });
    expect(await replaceSource(env, acct, "zendesk", [draft("1", "<p>exports as csv</p>"), draft("2", "<p>webhooks retry</p>")])).toEqual({
      seen: 2,
      added: 2,
      updated: 0,
      unchanged: 0,
      deleted: 0,
    });
    expect(await replaceSource(env, acct, "zendesk", [draft("1", "<p>exports as csv</p>"), draft("3", "<p>api tokens</p>")])).toEqual({
      seen: 2,
      added: 1,
      updated: 0,
      unchanged: 1,
      deleted: 1,
    });
    expect(await replaceSource(env, acct, "zendesk", [draft("1", "<p>exports as csv or json</p>"), draft("3", "<p>api tokens</p>")])).toMatchObject({
      updated: 1,
      unchanged: 1,
    });
    expect(await searchKnowledge(env, acct, "webhooks retry")).toEqual([]);
    expect((await searchKnowledge(env, acct, "exports json"))[0]?.title).toBe("Guide 1");
  });
});

describe("semantic search (fake AI and VECTORIZE bindings)", () => {
  /** Embeds by topic words, so "Erstattung" and "refund" land together as bge-m3 would put them. */
  function fakeBindings() {
    const vectors = new Map<string, { values: number[]; namespace?: string }>();
    const topics = [/refund|erstatt|reembols|rembours/i, /sso|okta|sign-on|anmeld/i];
    const calls: string[][] = [];
    const AI = {
      run: async (model: string, input: { text: string[] }) => {
        calls.push([model, ...input.text]);
        return { shape: [input.text.length, 2], data: input.text.map((t) => topics.map((re) => (re.test(t) ? 1 : 0.01))) };
      },
    } as unknown as Ai;
    const VECTORIZE = {
      upsert: async (vs: { id: string; values: number[]; namespace?: string }[]) => {
        for (const v of vs) vectors.set(v.id, v);
        return { mutationId: "m" };
      },
      deleteByIds: async (ids: string[]) => {
        for (const id of ids) vectors.delete(id);
        return { mutationId: "m" };
      },
      query: async (q: number[], opts: { topK: number; namespace?: string }) => {
        const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / (Math.hypot(...a) * Math.hypot(...b));
        const matches = [...vectors.entries()]
          .filter(([, v]) => v.namespace === opts.namespace)
          .map(([id, v]) => ({ id, score: cos(q, v.values) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, opts.topK);
        return { matches, count: matches.length };
      },
    } as unknown as Vectorize;
    return { bindings: { AI, VECTORIZE } satisfies SemanticEnv, vectors, calls };
  }

  it("embeds articles into the account's namespace and merges semantic hits with full text", async () => {
    const acct = account();
    const fake = fakeBindings();
    const withAi = { ...env, ...fake.bindings };
    const refund = await addArticle(withAi, acct, REFUND, ADMIN);
    expect(fake.vectors.get(refund.id)?.namespace).toBe(acct);
    expect(fake.calls[0]![0]).toBe("@cf/baai/bge-m3");
    // No shared words with the English article: only the semantic path can find it.
    const hits = await searchKnowledge(withAi, acct, "Ich möchte eine Erstattung");
    expect(hits.map((h) => h.id)).toContain(refund.id);
    // Another account's namespace stays closed.
    expect(await searchKnowledge(withAi, account(), "Ich möchte eine Erstattung")).toEqual([]);
    await deleteArticle(withAi, acct, refund.id, ADMIN);
    expect(fake.vectors.has(refund.id)).toBe(false);
  });

  it("embeds later what could not be embedded at once (the scheduled backfill)", async () => {
    const acct = account();
    const before = await addArticle(env, acct, REFUND, ADMIN);
    const fake = fakeBindings();
    const withAi = { ...env, ...fake.bindings };
    expect(fake.vectors.has(before.id)).toBe(false);
    expect(await backfillSemantic(withAi, acct)).toBe(1);
    expect(fake.vectors.get(before.id)?.namespace).toBe(acct);
    expect(await backfillSemantic(withAi, acct)).toBe(0);
    expect(await backfillSemantic(env, acct)).toBe(0);
  });

  it("still answers from full text when Workers AI fails while indexing", async () => {
    const acct = account();
    const failing = { ...env, AI: { run: async () => Promise.reject(new Error("AI down")) } as unknown as Ai, VECTORIZE: fakeBindings().bindings.VECTORIZE };
    const article = await addArticle(failing, acct, REFUND, ADMIN);
    expect((await searchKnowledge(env, acct, "refund double charge"))[0]?.id).toBe(article.id);
  });
});
