// search_knowledge's work for a drafter: the passage that answers a ticket,
// bounded; which hits a draft may cite; the search itself on D1's index.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { addArticle } from "../../knowledge/store";
import type { KnowledgeToolHit } from "../tools";
import { citationsFor, relevantPassage, remember, searchForTicket, ticketQuestion } from "./knowledge";

const STEPS =
  "Before you start\n\nYou need an Okta admin account.\n\n1. Open Settings → Security → SSO.\n2. Paste the metadata URL.\n\nAsk us if the metadata is rejected.";

const hit = (id: string, score = 0.7): KnowledgeToolHit => ({
  articleId: id,
  title: `Article ${id}`,
  url: null,
  snippet: "x".repeat(400),
  score,
  language: "en",
});

describe("the passage that answers a ticket", () => {
  it("takes the first paragraph and the numbered steps of a how-to (not its heading)", () => {
    expect(relevantPassage(STEPS, "How do I set up SSO?")).toBe(
      "You need an Okta admin account.\n\n1. Open Settings → Security → SSO.\n2. Paste the metadata URL.",
    );
  });

  it("takes the paragraph sharing most words with the question when there are no steps", () => {
    const body =
      "Our plans.\n\nInvoices are emailed on the first day of each month to the billing contact.\n\nRefunds reach your card within ten business days.";
    expect(relevantPassage(body, "When will my refund reach my card?")).toBe("Refunds reach your card within ten business days.");
    expect(relevantPassage(body, "Where is my invoice?")).toBe("Invoices are emailed on the first day of each month to the billing contact.");
  });

  it("stays within about 1,200 characters, cut at a line or sentence", () => {
    const steps = Array.from({ length: 60 }, (_, i) => `${i + 1}. Do step number ${i + 1} of the long procedure.`).join("\n");
    const passage = relevantPassage(`Intro paragraph.\n\n${steps}`, "procedure");
    expect(passage.length).toBeLessThanOrEqual(1_200);
    expect(passage.endsWith("\n…")).toBe(true);
    const prose = relevantPassage(`${"This is one sentence of a long paragraph. ".repeat(60)}`, "sentence");
    expect(prose.length).toBeLessThanOrEqual(1_200);
    expect(prose.endsWith(". …")).toBe(true);
  });
});

describe("citations", () => {
  it("cites only hits a search returned, in the order named, at most three, with short snippets", () => {
    const known = remember([], [hit("a"), hit("b"), hit("c"), hit("d")]);
    const cited = citationsFor(["d", "made-up", "a", "a", "b", "c"], known);
    expect(cited.map((c) => c.articleId)).toEqual(["d", "a", "b"]);
    expect(cited.every((c) => c.snippet.length <= 300)).toBe(true);
    expect(citationsFor(undefined, known)).toEqual([]);
  });

  it("remembers the newest hits first, each article once, at most ten", () => {
    const first = remember(
      [],
      Array.from({ length: 5 }, (_, i) => hit(`old${i}`)),
    );
    const next = remember(first, [hit("new"), hit("old0", 0.9)]);
    expect(next.map((k) => k.articleId)).toEqual(["new", "old0", "old1", "old2", "old3", "old4"]);
    expect(next[1]!.score).toBe(0.9);
    expect(
      remember(
        next,
        Array.from({ length: 8 }, (_, i) => hit(`more${i}`)),
      ),
    ).toHaveLength(10);
  });
});

describe("searchForTicket", () => {
  it("finds the account's article for a ticket with its answering passage, and nothing of another account", async () => {
    const account = `drafting-kb-${Date.now()}`;
    const article = await addArticle(
      env,
      account,
      { title: "Set up single sign-on with Okta", body: STEPS, url: "https://help.example/sso", language: "en" },
      "user:admin@acme.test",
    );
    const question = ticketQuestion({ subject: "  SSO with Okta ", body: "How do I set up single sign-on with Okta for our team?" });
    expect(question).toBe("SSO with Okta\n\nHow do I set up single sign-on with Okta for our team?");
    const [best] = await searchForTicket(env, account, question, "en");
    expect(best).toMatchObject({ articleId: article.id, title: "Set up single sign-on with Okta", url: "https://help.example/sso", language: "en" });
    expect(best!.passage).toContain("1. Open Settings → Security → SSO.");
    expect(await searchForTicket(env, `${account}-other`, question, "en")).toEqual([]);
  });
});
