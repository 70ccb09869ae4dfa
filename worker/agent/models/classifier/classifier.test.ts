// The offline classifier and the language detector on hand-picked tickets in
// every supported language: paraphrases without the stock keyword, inflected
// words, and the compliance-versus-security distinction. The held-out set and
// its figures are `npm run eval`'s (data/triage/*.eval.jsonl).
import { describe, expect, it } from "vitest";
import { proposalRisk } from "../../../policy/risk";
import { ticketHardStops } from "../../risk";
import { detectLanguage } from "../language";
import { readTicket } from "./read-ticket";

describe("language", () => {
  it.each([
    ["en", "Hi, since this morning none of our agents can open the inbox, it just spins forever."],
    ["de", "Hallo, seit heute Morgen können wir uns nicht mehr anmelden, bitte dringend prüfen."],
    ["es", "Buenas tardes, nos han cobrado dos veces la suscripción de este mes y necesito el reembolso."],
    ["fr", "Bonjour, depuis ce matin l'application ne se charge plus pour toute notre équipe."],
    ["pt", "Olá, fomos cobrados duas vezes neste mês e gostaria de entender o que aconteceu."],
    ["it", "Buongiorno, non riesco più ad accedere al mio account dopo aver cambiato la password."],
    ["nl", "Goedemorgen, sinds vanochtend kan niemand in ons team meer inloggen op het dashboard."],
    ["pl", "Dzień dobry, od rana nie możemy zalogować się do panelu, proszę o pilną pomoc."],
  ])("recognises %s", (lang, text) => {
    expect(detectLanguage(text)).toEqual({ language: lang, detected: true });
  });

  it("assumes English, and says so, when the text cannot tell", () => {
    expect(detectLanguage("ok")).toEqual({ language: "en", detected: false });
    expect(detectLanguage("")).toEqual({ language: "en", detected: false });
  });
});

describe("classifier", () => {
  it("gives every field a label and a confidence between 0 and 1", () => {
    const r = readTicket("Question", "How do I add a teammate to my workspace?");
    for (const field of [r.category, r.urgency, r.sentiment, r.intent]) {
      expect(typeof field.label).toBe("string");
      expect(field.confidence).toBeGreaterThan(0);
      expect(field.confidence).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    ["billing", "Doppelte Abbuchung", "Sie haben uns diesen Monat zweimal belastet, bitte erstatten Sie den doppelten Betrag."],
    ["billing", "Cobro duplicado", "Nos han cobrado dos veces la misma factura este mes."],
    ["account-access", "Impossible de me connecter", "Je n'arrive plus à me connecter, le code de vérification n'arrive jamais."],
    ["cancellation", "Opzeggen", "Wij willen ons abonnement opzeggen per het einde van deze maand."],
    ["data-privacy", "Questionário de segurança", "Nosso jurídico precisa do relatório SOC 2 e do DPA assinado antes da renovação."],
    ["feature-request", "Idea", "It would be great if we could export reports as PDF directly from the dashboard."],
  ])("reads %s in other words and other languages", (category, subject, body) => {
    expect(readTicket(subject, body).category.label).toBe(category);
  });

  it("tells a compliance questionnaire from a security incident", () => {
    expect(readTicket("Security questionnaire", "Our procurement team needs your completed security questionnaire and your SOC 2 report.").category.label).toBe(
      "data-privacy",
    );
    expect(
      readTicket("Account compromised", "Someone logged into our admin account from another country last night and changed the billing email.").category.label,
    ).toBe("security");
  });

  it("reads urgency and anger from the wording", () => {
    const down = readTicket("ALLES DOWN", "Seit 20 Minuten ist das komplette System nicht erreichbar, unsere Kunden können nichts bestellen. DRINGEND!");
    expect(["high", "urgent"]).toContain(down.urgency.label);
    expect(readTicket("Idea", "No rush at all, but a dark mode would be lovely some day. Thanks for the great product!").sentiment.label).toBe("positive");
    expect(readTicket("Inaceptable", "Es la tercera vez que os escribo y nadie responde. Es una vergüenza, estoy harto.").sentiment.label).toBe("negative");
  });
});

describe("hard stops", () => {
  const kinds = (subject: string, body: string) => ticketHardStops({ subject, body }).map((f) => f.kind);

  it.each([
    ["anger", "nl", "Opzeggen", "Drie keer gemaild, nul reactie. Jullie zijn gewoon oplichters, ik ben het spuugzat."],
    ["legal_threat", "de", "Rechnung", "Wenn das nicht bis Freitag erstattet ist, übergebe ich die Sache meinem Rechtsanwalt."],
    ["human_request", "es", "Ayuda", "Por favor, pásenme con alguien de carne y hueso, no con una máquina."],
    ["human_request", "fr", "Connexion", "Je veux parler à quelqu'un de votre équipe au téléphone, pas à un robot."],
    ["human_request", "pl", "Konto", "Chcę rozmawiać z człowiekiem, a nie z automatem."],
  ])("reads %s in %s where no wording rule matches", (kind, _lang, subject, body) => {
    expect(proposalRisk({ subject, body }, null).map((f) => f.kind)).not.toContain(kind);
    const found = ticketHardStops({ subject, body }).find((f) => f.kind === kind);
    expect(found, body).toMatchObject({ source: "ticket" });
    // The reviewer is shown the body sentence that says it (not the subject, which the card shows already) and how sure the classifier is.
    expect(body).toContain(found!.match.replace(/…$/, ""));
    expect(found!.match).not.toBe(subject);
    expect(found!.confidence).toBeGreaterThan(0);
  });

  it.each([
    ["Export", "How do I export my contacts as CSV? Thanks!"],
    ["Rechnung", "Könnten Sie mir bitte die Rechnung für März erneut schicken? Danke."],
    ["Pedido", "Olá, gostaria de saber como mudar o meu plano para anual. Obrigado!"],
    ["Vraag", "Hoe voeg ik een collega toe aan ons team? Groetjes"],
  ])("leaves a calm question alone: %s", (subject, body) => {
    expect(kinds(subject, body)).toEqual([]);
  });

  it("quotes the subject when the body is empty", () => {
    const found = ticketHardStops({ subject: "Ich will sofort mit einem Menschen sprechen, nicht mit einem Bot!", body: "" }).find(
      (f) => f.kind === "human_request",
    );
    expect(found?.match).toBe("Ich will sofort mit einem Menschen sprechen, nicht mit einem Bot!");
  });

  it("keeps a rule's match and does not repeat it from the classifier", () => {
    const flags = ticketHardStops({ subject: "Billing", body: "If this is not fixed today my lawyer will take you to court." });
    expect(flags.filter((f) => f.kind === "legal_threat")).toEqual([{ kind: "legal_threat", match: "my lawyer", source: "ticket" }]);
  });
});
