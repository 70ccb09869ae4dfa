// The languages the holding reply is written in, and the phrase book for each.
import { de } from "./de";
import { en } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { nl } from "./nl";
import type { PhraseBook } from "./phrase-book";
import { pt } from "./pt";

export type { PhraseBook } from "./phrase-book";

export const REPLY_LANGUAGES = ["en", "de", "es", "fr", "pt", "it", "nl"] as const;
type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

const BOOKS: Record<ReplyLanguage, PhraseBook> = { en, de, es, fr, pt, it, nl };

/** The reply language for an ISO 639-1 code ("de", also "DE" or "pt-BR"); English for anything else. */
function replyLanguage(code: string | null | undefined): ReplyLanguage {
  const base = code?.trim().toLowerCase().split(/[-_]/)[0];
  return REPLY_LANGUAGES.find((l) => l === base) ?? "en";
}

/** The phrase book for a language code; English when the language is missing or not supported. */
export function phraseBook(lang: string | null | undefined): PhraseBook {
  return BOOKS[replyLanguage(lang)];
}
