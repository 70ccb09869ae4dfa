// The reply from the team's article in each supported language: the framing
// is the customer's language whatever the article's, the passage and link are
// kept as they are, and a weak or passage-less match falls back to the holding reply.
import { describe, expect, it } from "vitest";
import { MATCH_THRESHOLD } from "../../knowledge/search";
import { answerSource, composeArticleReply, groundedConfidence, groundedReply } from "./article-reply";
import { composeHoldingReply, type ReplyFacts } from "./holding-reply";
import { phraseBook, REPLY_LANGUAGES } from "./replies";

const facts: ReplyFacts = {
  requesterName: "Pat Doe",
  subject: "Export to CSV",
  category: "general",
  entitlement: null,
  accountName: "Acme",
  handoffQueue: null,
  revisionNotes: [],
};
const source = {
  articleId: "kb_1",
  title: "Export your contacts",
  url: "https://help.example/export",
  score: 0.8,
  passage: "You can export every contact.\n\n1. Open Contacts.\n2. Choose Export.",
};
const en = phraseBook("en");

describe("answer from an article", () => {
  it("writes the English answer exactly", () => {
    expect(composeArticleReply(facts, source)).toBe(
      "Hi Pat,\n\nThank you for contacting us about \"Export to CSV\". Here is what our guide says:\n\nYou can export every contact.\n\n1. Open Contacts.\n2. Choose Export.\n\nYou can read the whole article here: https://help.example/export\n\nIf this doesn't solve it, reply and we'll take it from there.\n\nBest regards,\nAcme Support",
    );
  });

  it("leaves the link out when the article has none, and keeps a handoff and the reviewer's quoted wording", () => {
    const body = composeArticleReply({ ...facts, handoffQueue: "tier-2", revisionNotes: ['say "We are on it today."'] }, { ...source, url: null });
    expect(body).toMatch(/^Hello Pat,/);
    expect(body).not.toContain(en.readMore);
    expect(body).toContain("We are on it today.");
    expect(body).toContain(en.handoff("tier-2"));
  });

  for (const language of REPLY_LANGUAGES) {
    it(`frames the answer in ${language}, with the article's text and link as they are`, () => {
      const book = phraseBook(language);
      const body = composeArticleReply({ ...facts, language }, source);
      expect(body.startsWith(book.greeting("Pat"))).toBe(true);
      for (const line of [book.guideIntro, `${book.readMore} ${source.url}`, book.notSolved, book.signOff, book.supportSignature("Acme")])
        expect(body).toContain(line);
      expect(body).toContain(source.passage);
      if (language !== "en") for (const stock of [en.guideIntro, en.readMore, en.notSolved, en.signOff]) expect(body).not.toContain(stock);
    });
  }

  it("answers only from a best hit that covers the question well and has a passage", () => {
    expect(answerSource([source])).toBe(source);
    expect(
      answerSource([
        { ...source, score: MATCH_THRESHOLD - 0.01 },
        { ...source, score: 0.9 },
      ]),
    ).toBeNull();
    expect(answerSource([{ ...source, passage: " " }])).toBeNull();
    expect(answerSource([])).toBeNull();
    expect(groundedReply(facts, [])).toEqual({ body: composeHoldingReply(facts), source: null });
    expect(groundedReply(facts, [source]).source).toBe(source);
  });

  it("blends the holding reply's confidence with the match, bounded", () => {
    expect(groundedConfidence(0.86, 0.9)).toBe(0.88);
    expect(groundedConfidence(0.86, 0.4)).toBe(0.63);
    expect(groundedConfidence(1, 1)).toBe(0.95);
  });
});
