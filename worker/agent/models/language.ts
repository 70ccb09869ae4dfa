// Which language a ticket is written in, offline, with tinyld's light model
// (about 70 KB; chosen against franc-min and eld on the held-out tickets:
// docs/triage.md, bench/compare-language-detectors.mjs), restricted to the
// languages we support. Text too short or too mixed to tell is read as
// English, and says so.
import { detect } from "tinyld/light";
import { LANGUAGES, type Language } from "../../domain/enums";

export interface DetectedLanguage {
  language: Language;
  /** False when the text did not say (too short, or no supported language): `language` is then the fallback. */
  detected: boolean;
}

const ONLY = [...LANGUAGES];

export function detectLanguage(text: string, fallback: Language = "en"): DetectedLanguage {
  const found = detect(text, { only: ONLY });
  return (LANGUAGES as readonly string[]).includes(found) ? { language: found as Language, detected: true } : { language: fallback, detected: false };
}
