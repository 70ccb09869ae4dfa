// German, formal "Sie", as a German-speaking support team writes to customers.
import type { PhraseBook } from "./phrase-book";
import { wordsPattern } from "./phrase-book";

const hours = (n: number) => `${n} ${n === 1 ? "Stunde" : "Stunden"}`;

export const de: PhraseBook = {
  greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
  revisedGreeting: (name) => (name ? `Guten Tag ${name},` : "Guten Tag,"),
  thanks: (subject) => `Vielen Dank für Ihre Nachricht zu „${subject}“.`,
  categoryLines: {
    outage:
      "Bitte entschuldigen Sie die Störung. Unser Technikteam ist bereits informiert und untersucht das Problem gerade; wir halten Sie hier auf dem Laufenden, sobald wir mehr wissen.",
    security:
      "Wir wissen es sehr zu schätzen, dass Sie uns das verantwortungsvoll melden. Ich habe Ihre Meldung an unser Sicherheitsteam weitergeleitet, das jede Meldung vorrangig prüft.",
    billing:
      "Ich habe Ihre Rechnungshistorie aufgerufen und gehe den von Ihnen genannten Abbuchungen nach. Bevor wir irgendetwas an Ihrem Konto ändern, kläre ich genau, was passiert ist.",
    "account-access":
      "Gerne helfe ich Ihnen, wieder in Ihr Konto zu kommen. Nutzen Sie aus Sicherheitsgründen bitte den Link zum Zurücksetzen auf der Anmeldeseite; falls die E-Mail nicht innerhalb weniger Minuten ankommt, schauen Sie bitte in Ihren Spam-Ordner und geben Sie mir kurz Bescheid.",
    bug: "Ihre ausführliche Beschreibung hilft uns sehr. Ich stelle das Problem gerade bei uns nach und melde mich mit unseren Erkenntnissen, einschließlich einer Übergangslösung, falls es eine gibt.",
    "data-privacy":
      "Ich habe Ihre Anfrage zu Ihren Daten aufgenommen. Wir bearbeiten solche Anfragen gemäß unserer Datenschutzerklärung und stimmen jeden Schritt mit Ihnen ab, bevor Daten exportiert oder gelöscht werden.",
    api: "Ich prüfe gerade Ihre API-Nutzung und die Limits Ihres Workspaces und melde mich mit konkreten Angaben zu Ihrer Integration.",
    cancellation:
      "Schade, dass Sie überlegen, uns zu verlassen. Ich sorge dafür, dass Ihre Anfrage korrekt bearbeitet wird und Sie genau wissen, was mit Ihren Daten und Ihrer Abrechnung geschieht.",
    "feature-request":
      "Über Ihre Anregung freuen wir uns sehr. Ich habe sie an unser Produktteam weitergegeben, das bei der Planung der Roadmap jeden Vorschlag liest.",
    general: "Ich kümmere mich darum und melde mich mit einer vollständigen Antwort bei Ihnen.",
  },
  specialistReviewing: "Mir ist wichtig, dass wir das für Sie richtig lösen; deshalb sieht sich jemand aus unserem Fachteam Ihren Fall persönlich an.",
  handoff: (queue) => `Ich habe alle Details an unser ${queue}-Team weitergegeben, damit nichts verloren geht.`,
  slaUnknown: (n) => `In der Regel erhalten Sie innerhalb von ${hours(n)} eine vollständige Antwort.`,
  slaEnterprise: (company, n) =>
    company
      ? `Da ${company} Enterprise-Kunde bei uns ist, haben wir Ihr Account-Team bereits hinzugezogen; Sie hören innerhalb von ${hours(n)} von uns.`
      : `Da Ihr Unternehmen Enterprise-Kunde bei uns ist, haben wir Ihr Account-Team bereits hinzugezogen; Sie hören innerhalb von ${hours(n)} von uns.`,
  slaPlan: (plan, n) => `Mit Ihrem ${plan}-Tarif erhalten Sie innerhalb von ${hours(n)} eine vollständige Antwort.`,
  guideIntro: "Das steht dazu in unserer Anleitung:",
  readMore: "Den vollständigen Artikel finden Sie hier:",
  notSolved: "Falls das Ihr Problem nicht löst, antworten Sie einfach auf diese Nachricht – wir kümmern uns dann weiter darum.",
  // No comma after a German closing.
  signOff: "Viele Grüße",
  supportWords: wordsPattern(["kundenservice", "kundendienst", "kundensupport", "kundenbetreuung", "hilfe", "service"]),
  supportSignature: (accountName) => `${accountName} Kundenservice`,
};
