// French, "vous". French typography puts a non-breaking space inside « » and before ; : ! ?
import type { PhraseBook } from "./phrase-book";
import { wordsPattern } from "./phrase-book";

const NBSP = "\u00a0";
const hours = (n: number) => `${n}${NBSP}${n === 1 ? "heure" : "heures"}`;

export const fr: PhraseBook = {
  greeting: (name) => (name ? `Bonjour ${name},` : "Bonjour,"),
  revisedGreeting: (name) => (name ? `Bonjour ${name},` : "Bonjour,"),
  thanks: (subject) => `Merci de nous avoir contactés au sujet de «${NBSP}${subject}${NBSP}».`,
  categoryLines: {
    outage: `Toutes nos excuses pour cette interruption. Notre équipe technique a été alertée et analyse la situation en ce moment même${NBSP}; nous vous tiendrons au courant ici au fur et à mesure.`,
    security:
      "Nous vous sommes reconnaissants de nous l'avoir signalé de manière responsable. J'ai transmis votre signalement à notre équipe sécurité, qui traite chaque rapport en priorité.",
    billing:
      "J'ai consulté votre historique de facturation et j'examine les montants que vous mentionnez. Je vérifierai précisément ce qui s'est passé avant d'apporter la moindre modification à votre compte.",
    "account-access": `Je peux vous aider à retrouver l'accès à votre compte. Pour votre sécurité, merci d'utiliser le lien de réinitialisation proposé sur la page de connexion${NBSP}; s'il ne vous parvient pas d'ici quelques minutes, pensez à vérifier vos courriers indésirables et tenez-moi au courant.`,
    bug: "Votre description détaillée nous est très utile. J'essaie de reproduire le problème de notre côté et je reviendrai vers vous avec nos constats, ainsi qu'une solution de contournement s'il en existe une.",
    "data-privacy":
      "J'ai bien enregistré votre demande concernant vos données. Nous traitons ce type de demande conformément à notre politique de confidentialité et validerons chaque étape avec vous avant toute exportation ou suppression.",
    api: "Je vérifie votre utilisation de l'API et les limites de votre espace de travail, et je reviens vers vous avec des éléments précis pour votre intégration.",
    cancellation:
      "Nous regrettons d'apprendre que vous envisagez de nous quitter. Je veillerai à ce que votre demande soit traitée correctement et à ce que vous sachiez précisément ce qu'il adviendra de vos données et de votre facturation.",
    "feature-request":
      "Votre suggestion est la bienvenue. Je l'ai transmise à notre équipe produit, qui lit chaque demande lorsqu'elle établit la feuille de route.",
    general: "Je me penche sur votre demande et reviendrai vers vous avec une réponse complète.",
  },
  specialistReviewing: `Je tiens à ce que votre demande soit traitée au mieux${NBSP}: c'est pourquoi un spécialiste de notre équipe examine personnellement votre dossier.`,
  handoff: (queue) => `J'ai transmis tous les détails à notre équipe ${queue} afin que rien ne se perde.`,
  slaUnknown: (n) => `Nous apportons généralement une réponse complète sous ${hours(n)}.`,
  slaEnterprise: (company, n) =>
    company
      ? `${company} étant client Enterprise, l'équipe en charge de votre compte a été associée au dossier et vous aurez de nos nouvelles sous ${hours(n)}.`
      : `Votre entreprise étant cliente Enterprise, l'équipe en charge de votre compte a été associée au dossier et vous aurez de nos nouvelles sous ${hours(n)}.`,
  slaPlan: (plan, n) => `Avec votre offre ${plan}, vous recevrez une réponse complète sous ${hours(n)}.`,
  guideIntro: `Voici ce qu'indique notre guide${NBSP}:`,
  readMore: `Vous pouvez lire l'article complet ici${NBSP}:`,
  notSolved: "Si cela ne règle pas le problème, répondez simplement à ce message et nous prendrons le relais.",
  signOff: "Bien cordialement,",
  supportWords: wordsPattern(["assistance", "aide", "équipe", "service client", "service clients", "sav"]),
  supportSignature: (accountName) => `Le service client ${accountName}`,
};
