// Dutch, "u", as a Dutch support team writes: direct, friendly, professional.
import type { PhraseBook } from "./phrase-book";
import { wordsPattern } from "./phrase-book";

export const nl: PhraseBook = {
  greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
  revisedGreeting: (name) => (name ? `Beste ${name},` : "Beste klant,"),
  thanks: (subject) => `Bedankt voor uw bericht over “${subject}”.`,
  categoryLines: {
    outage:
      "Het spijt me dat u hier last van heeft. Ons engineeringteam is gewaarschuwd en onderzoekt het probleem op dit moment; we houden u hier op de hoogte zodra we meer weten.",
    security:
      "Fijn dat u dit op een verantwoorde manier bij ons meldt. Ik heb uw melding doorgezet naar ons beveiligingsteam, dat elke melding met voorrang beoordeelt.",
    billing:
      "Ik heb uw factuurgeschiedenis erbij gepakt en kijk naar de afschrijvingen die u noemt. Voordat er iets aan uw account wordt gewijzigd, zoek ik eerst precies uit wat er is gebeurd.",
    "account-access":
      "Ik help u graag weer toegang te krijgen tot uw account. Gebruik voor uw veiligheid de resetlink op de inlogpagina; komt die niet binnen een paar minuten aan, kijk dan even in uw spammap en laat het me weten.",
    bug: "Uw uitgebreide beschrijving helpt ons enorm. Ik probeer het probleem aan onze kant te reproduceren en laat u weten wat we vinden, inclusief een tijdelijke oplossing als die er is.",
    "data-privacy":
      "Ik heb uw verzoek over uw gegevens geregistreerd. We behandelen zulke verzoeken volgens ons privacybeleid en stemmen elke stap met u af voordat er iets wordt geëxporteerd of verwijderd.",
    api: "Ik bekijk uw API-gebruik en de limieten van uw workspace, en kom bij u terug met specifieke informatie voor uw integratie.",
    cancellation:
      "Jammer om te horen dat u overweegt om te vertrekken. Ik zorg ervoor dat uw verzoek correct wordt afgehandeld en dat u precies weet wat er met uw gegevens en facturering gebeurt.",
    "feature-request":
      "Wat fijn dat u dit idee met ons deelt. Ik heb het doorgegeven aan ons productteam, dat elk verzoek leest bij het plannen van de roadmap.",
    general: "Ik zoek dit voor u uit en kom bij u terug met een volledig antwoord.",
  },
  specialistReviewing: "Ik wil er zeker van zijn dat we dit goed voor u oplossen, daarom bekijkt een specialist uw zaak persoonlijk.",
  handoff: (queue) => `Ik heb de details gedeeld met ons ${queue}-team, zodat er niets verloren gaat.`,
  // "uur" is both singular and plural after a number.
  slaUnknown: (n) => `Doorgaans ontvangt u binnen ${n} uur een volledig antwoord.`,
  slaEnterprise: (company, n) =>
    company
      ? `Omdat ${company} Enterprise-klant is, hebben we uw accountteam er direct bij betrokken en hoort u binnen ${n} uur van ons.`
      : `Omdat uw organisatie Enterprise-klant is, hebben we uw accountteam er direct bij betrokken en hoort u binnen ${n} uur van ons.`,
  slaPlan: (plan, n) => `Met uw ${plan}-abonnement ontvangt u binnen ${n} uur een volledig antwoord.`,
  guideIntro: "Dit staat er in onze handleiding:",
  readMore: "U kunt het volledige artikel hier lezen:",
  notSolved: "Lost dit het niet op? Beantwoord dan dit bericht, dan zoeken we het samen verder uit.",
  signOff: "Met vriendelijke groet,",
  supportWords: wordsPattern(["klantenservice", "klantendienst", "ondersteuning", "hulp", "servicedesk"]),
  supportSignature: (accountName) => `Klantenservice ${accountName}`,
};
