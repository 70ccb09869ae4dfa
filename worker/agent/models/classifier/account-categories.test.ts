// Account categories learnt from a few example phrases: the hard cases are
// another language than the examples', an inflected paraphrase, a ticket the
// built-in classifier is sure about, and an unrelated ticket.
import { describe, expect, it } from "vitest";
import { MATCH_THRESHOLD, matchAccountCategory } from "./account-categories";
import { readTicket } from "./read-ticket";

const CATEGORIES = [
  {
    id: "csv-import",
    examples: [
      "Der CSV-Import bricht nach ein paar hundert Zeilen ab",
      "Beim Importieren unserer Kontakte aus einer Excel-Datei kommt eine Fehlermeldung",
      "Wie importiere ich Kundendaten aus einer CSV-Datei?",
    ],
  },
  {
    id: "mobile-app",
    examples: ["The iPhone app crashes when I open a ticket", "Android app does not show push notifications", "Can I use the mobile app offline?"],
  },
  {
    id: "invoice-copy",
    examples: [
      "Please send me a copy of last month's invoice",
      "I need the invoice as PDF for our accounting",
      "Können Sie mir die Rechnung nochmal schicken?",
    ],
  },
  {
    id: "onboarding-call",
    examples: [
      "We would like to book an onboarding session for our new team",
      "Can we schedule a training call for our agents?",
      "Wir möchten eine Schulung für unser Team vereinbaren",
    ],
  },
];

function match(subject: string, body: string, categories = CATEGORIES) {
  const builtIn = readTicket(subject, body).category;
  return { builtIn, ...matchAccountCategory(categories, `${subject}\n${body}`, builtIn) };
}

describe("account categories", () => {
  it.each([
    ["csv-import", "Import funktioniert nicht", "Hallo, unser CSV-Import der Kontaktliste bricht immer nach der Hälfte ab. Was können wir tun?"],
    // English ticket, German examples: "csv", "import" and their n-grams carry across.
    ["csv-import", "CSV import", "Our CSV import of contacts stops after a few hundred rows."],
    ["mobile-app", "Application mobile", "L'application Android ne m'envoie plus de notifications push."],
    ["onboarding-call", "Training", "Could we set up a training session for the five new agents joining next week?"],
  ])("recognises %s in other words or another language", (id, subject, body) => {
    const { match: m } = match(subject, body);
    expect(m?.id).toBe(id);
    expect(m!.similarity).toBeGreaterThanOrEqual(MATCH_THRESHOLD);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(m!.confidence).toBeLessThanOrEqual(0.95);
  });

  it("takes a finer cut of a built-in category even when the classifier is sure of the built-in one", () => {
    // The classifier reads billing at about 0.99; the examples read as billing too, so that reading supports the account category.
    const r = match("Rechnung", "Bitte schicken Sie mir eine Kopie der Rechnung vom letzten Monat.");
    expect(r.builtIn.label).toBe("billing");
    expect(r.match?.id).toBe("invoice-copy");
  });

  it("keeps the built-in category for unrelated tickets, in any language", () => {
    for (const [subject, body] of [
      ["Dashboard down", "Nobody on our team can load the dashboard since 9am, we get a 503."],
      ["Alles down", "Seit 20 Minuten ist das komplette System nicht erreichbar, unsere Kunden können nichts bestellen. DRINGEND!"],
      ["Charged twice", "You charged my card twice this month for the Pro plan, please refund one."],
      ["Login", "I can't log in, the password reset link never arrives."],
      ["API 429", "Our integration keeps getting 429 rate limit errors from your API since this morning."],
      ["Frage", "Hallo, wie kann ich einen neuen Kollegen zu unserem Arbeitsbereich hinzufügen?"],
    ]) {
      const r = match(subject!, body!);
      expect(r.match, subject).toBeNull();
      expect(r.scores[0]!.similarity).toBeLessThan(MATCH_THRESHOLD);
    }
  });

  it("does not overrule a surer built-in reading of another topic", () => {
    const text = "Import funktioniert nicht\nHallo, unser CSV-Import der Kontaktliste bricht immer nach der Hälfte ab.";
    const csv = CATEGORIES.filter((c) => c.id === "csv-import");
    const similar = matchAccountCategory(csv, text, { label: "security", confidence: 0.3 }).match;
    expect(similar?.id).toBe("csv-import");
    // The same similarity loses to a built-in reading that is surer than it and is not the examples' own topic.
    expect(matchAccountCategory(csv, text, { label: "security", confidence: 0.99 }).match).toBeNull();
    expect(similar!.confidence).toBeLessThan(0.99);
  });

  it("has no opinion without categories, and learns each set of examples once", () => {
    expect(matchAccountCategory([], "anything", { label: "general", confidence: 0.5 })).toEqual({ match: null, scores: [] });
    const first = match("Import", "Der CSV-Import bricht ab");
    const again = match("Import", "Der CSV-Import bricht ab");
    expect(again.scores).toEqual(first.scores);
  });
});
