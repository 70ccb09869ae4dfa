// Italian, formal "Lei" (capitalised, as customer correspondence usually does).
import type { PhraseBook } from "./phrase-book";
import { wordsPattern } from "./phrase-book";

const hours = (n: number) => `${n} ${n === 1 ? "ora" : "ore"}`;

export const it: PhraseBook = {
  greeting: (name) => (name ? `Buongiorno ${name},` : "Buongiorno,"),
  revisedGreeting: (name) => (name ? `Gentile ${name},` : "Gentile cliente,"),
  thanks: (subject) => `La ringraziamo per averci contattato in merito a «${subject}».`,
  categoryLines: {
    outage:
      "Mi dispiace per il disservizio. Il nostro team tecnico è stato allertato e sta analizzando il problema proprio ora; Le daremo aggiornamenti qui man mano che ne sapremo di più.",
    security:
      "Apprezziamo molto che ce lo abbia segnalato in modo responsabile. Ho inoltrato la segnalazione al nostro team di sicurezza, che esamina ogni report con priorità.",
    billing:
      "Ho recuperato lo storico della Sua fatturazione e sto verificando gli addebiti che ha indicato. Prima di apportare qualsiasi modifica al Suo account, accerterò con esattezza cosa è successo.",
    "account-access":
      "Vediamo insieme come recuperare l'accesso al Suo account. Per motivi di sicurezza, La invito a usare il link di reimpostazione nella pagina di accesso; se non dovesse arrivare entro qualche minuto, controlli la cartella dello spam e me lo faccia sapere.",
    bug: "La Sua segnalazione dettagliata ci è molto utile. Sto riproducendo il problema da parte nostra e Le farò sapere cosa emerge, inclusa una soluzione temporanea, se esiste.",
    "data-privacy":
      "Ho registrato la Sua richiesta relativa ai dati. Gestiamo queste richieste secondo la nostra informativa sulla privacy e confermeremo con Lei ogni passaggio prima di esportare o eliminare qualsiasi dato.",
    api: "Sto verificando l'utilizzo dell'API e i limiti del Suo spazio di lavoro, e tornerò da Lei con indicazioni specifiche per la Sua integrazione.",
    cancellation:
      "Mi dispiace sapere che sta pensando di lasciarci. Mi assicurerò che la Sua richiesta venga gestita correttamente e che sappia esattamente cosa succederà ai Suoi dati e alla fatturazione.",
    "feature-request":
      "Il Suo suggerimento è molto apprezzato. L'ho condiviso con il nostro team di prodotto, che legge ogni richiesta quando pianifica la roadmap.",
    general: "Sto approfondendo la questione e tornerò da Lei con una risposta completa.",
  },
  specialistReviewing: "Ci tengo a gestire al meglio la Sua richiesta, per questo uno specialista sta esaminando personalmente il Suo caso.",
  handoff: (queue) => `Ho condiviso i dettagli con il nostro team ${queue}, così nulla andrà perso.`,
  slaUnknown: (n) => `Di solito inviamo una risposta completa entro ${hours(n)}.`,
  slaEnterprise: (company, n) =>
    company
      ? `Essendo ${company} cliente Enterprise, abbiamo già coinvolto il team che segue il Suo account e Le daremo un riscontro entro ${hours(n)}.`
      : `Poiché la Sua azienda è cliente Enterprise, abbiamo già coinvolto il team che segue il Suo account e Le daremo un riscontro entro ${hours(n)}.`,
  slaPlan: (plan, n) => `Con il Suo piano ${plan} riceverà una risposta completa entro ${hours(n)}.`,
  guideIntro: "Ecco cosa indica la nostra guida:",
  readMore: "Può leggere l'articolo completo qui:",
  notSolved: "Se questo non risolve il problema, risponda a questo messaggio e ce ne occuperemo noi.",
  signOff: "Cordiali saluti,",
  supportWords: wordsPattern(["assistenza", "supporto", "aiuto", "servizio clienti", "squadra"]),
  supportSignature: (accountName) => `Assistenza clienti ${accountName}`,
};
