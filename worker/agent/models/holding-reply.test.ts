// The holding reply in each supported language: every category, revisions, the English fallback.
import { describe, expect, it } from "vitest";
import { CATEGORIES } from "../../domain/enums";
import type { Entitlement } from "../../domain/types";
import { composeHoldingReply, type ReplyFacts } from "./holding-reply";
import { phraseBook, REPLY_LANGUAGES } from "./replies";

const pro: Entitlement = { tier: "pro", plan: "Pro", slaHours: 8, customerName: "Pat", company: null };
const enterprise: Entitlement = { tier: "enterprise", plan: "Enterprise", slaHours: 1, customerName: "Pat", company: "Globex" };

const facts: ReplyFacts = {
  requesterName: "Pat Doe",
  subject: "  Charged twice in March ",
  category: "billing",
  entitlement: pro,
  accountName: "Acme",
  handoffQueue: "billing",
  revisionNotes: [],
};

const en = phraseBook("en");
/** Stock English wording that must never appear in a reply in another language. */
const ENGLISH_STOCK = [
  "Thank you for contacting us",
  ...Object.values(en.categoryLines),
  en.specialistReviewing,
  "I've shared the details",
  "We usually reply in full",
  "you'll have a full answer",
  "your account team has been looped in",
  "you'll hear from us",
  en.signOff,
  "Acme Support",
  "Hi Pat",
  "Hello Pat",
];

describe("holding reply languages", () => {
  it("keeps the English reply exactly as it was", () => {
    expect(composeHoldingReply(facts)).toBe(
      "Hi Pat,\n\nThank you for contacting us about \"Charged twice in March\". I've pulled up your billing history and I'm looking into the charges you mentioned. I'll confirm exactly what happened before making any changes to your account.\n\nI've shared the details with our billing team so nothing gets lost.\n\nOn your Pro plan you'll have a full answer within 8 hours.\n\nBest regards,\nAcme Support",
    );
    expect(
      composeHoldingReply({
        ...facts,
        subject: "Site down",
        category: "outage",
        entitlement: enterprise,
        accountName: "Demo Support",
        handoffQueue: null,
        revisionNotes: ['say "We are sorry for the trouble."'],
        language: "en",
      }),
    ).toBe(
      "Hello Pat,\n\nThank you for contacting us about \"Site down\". I'm sorry for the disruption. Our engineering team has been alerted and is investigating right now; we will keep you updated here as we learn more.\n\nWe are sorry for the trouble.\n\nAs Globex customer, your account team has been looped in and you'll hear from us within 1 hours.\n\nBest regards,\nDemo Support",
    );
    expect(
      composeHoldingReply({
        ...facts,
        requesterName: "",
        subject: "Hello",
        category: "general",
        entitlement: null,
        handoffQueue: null,
        revisionNotes: ["be warmer"],
      }),
    ).toBe(
      'Hello there,\n\nThank you for contacting us about "Hello". I\'m looking into this and will get back to you with a full answer.\n\nI want to make sure we get this right for you, so a specialist is reviewing your case personally.\n\nWe usually reply in full within 48 hours.\n\nBest regards,\nAcme Support',
    );
  });

  it("falls back to English for a missing or unsupported language", () => {
    const english = composeHoldingReply(facts);
    for (const language of [undefined, "", "xx", "ja", "english"]) expect(composeHoldingReply({ ...facts, language })).toBe(english);
    // Region and case do not matter.
    expect(composeHoldingReply({ ...facts, language: "pt-BR" })).toBe(composeHoldingReply({ ...facts, language: "pt" }));
    expect(composeHoldingReply({ ...facts, language: "DE" })).toBe(composeHoldingReply({ ...facts, language: "de" }));
  });

  for (const language of REPLY_LANGUAGES) {
    describe(language, () => {
      const book = phraseBook(language);

      it("has a line for every category and only those", () => {
        expect(Object.keys(book.categoryLines).sort()).toEqual([...CATEGORIES].sort());
      });

      it("writes a reply for each category with the first name and the subject", () => {
        for (const category of CATEGORIES) {
          for (const entitlement of [pro, enterprise, { ...enterprise, company: null }, null]) {
            const body = composeHoldingReply({ ...facts, category, entitlement, language });
            expect(body.startsWith(book.greeting("Pat"))).toBe(true);
            expect(body).toContain("Pat");
            expect(body).toContain("Charged twice in March");
            expect(body).toContain(book.categoryLines[category]);
            expect(body).toContain(String(entitlement?.slaHours ?? 48));
            expect(body).toContain("billing");
            if (language !== "en") for (const stock of ENGLISH_STOCK) expect(body).not.toContain(stock);
            expect(body).not.toMatch(/\b(refund|erstatt|reembols|rembours|reembolso|rimbors|terugbetal)/i);
          }
        }
      });

      it("carries the reviewer's quoted wording verbatim into a revision", () => {
        const body = composeHoldingReply({ ...facts, revisionNotes: ['Please add "We appreciate your patience." to the reply'], language });
        expect(body.startsWith(book.revisedGreeting("Pat"))).toBe(true);
        expect(body).toContain("We appreciate your patience.");
        expect(body).not.toContain(book.specialistReviewing);
        const plain = composeHoldingReply({ ...facts, revisionNotes: ["be warmer"], language });
        expect(plain).toContain(book.specialistReviewing);
        if (language !== "en") for (const stock of ENGLISH_STOCK) expect(plain).not.toContain(stock);
      });

      it("signs with a localized support suffix unless the name already says support", () => {
        expect(composeHoldingReply({ ...facts, language }).endsWith(`\n${book.supportSignature("Acme")}`)).toBe(true);
        expect(composeHoldingReply({ ...facts, accountName: "Demo Support", language }).endsWith("\nDemo Support")).toBe(true);
        if (language !== "en") expect(composeHoldingReply({ ...facts, requesterName: "", language })).not.toContain("there");
      });
    });
  }

  it("recognises support words in the reply's language", () => {
    expect(composeHoldingReply({ ...facts, accountName: "Acme Kundenservice", language: "de" }).endsWith("\nAcme Kundenservice")).toBe(true);
    expect(composeHoldingReply({ ...facts, accountName: "Soporte Acme", language: "es" }).endsWith("\nSoporte Acme")).toBe(true);
    expect(composeHoldingReply({ ...facts, accountName: "Équipe Acme", language: "fr" }).endsWith("\nÉquipe Acme")).toBe(true);
    expect(composeHoldingReply({ ...facts, language: "de" }).endsWith("\nAcme Kundenservice")).toBe(true);
  });
});
