// Text that goes to a customer (an edited reply, a proposed reply, any reply
// before delivery): control and invisible formatting characters are removed,
// and a reply must keep something a person can see.

/** Characters that render as nothing, beyond Unicode's format (Cf) and control (Cc) classes. */
const BLANK_LOOKING = /[\u115F\u1160\u17B4\u17B5\u2800\u3164\uFFA0]/gu;
/** Control and format characters, except tab and line breaks. */
const INVISIBLE = /(?![\t\n])[\p{Cc}\p{Cf}]/gu;

/** The text with control and invisible characters removed, line breaks normalised, trimmed. */
export function cleanCustomerText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u2028\u2029]/g, "\n")
    .replace(INVISIBLE, "")
    .replace(BLANK_LOOKING, "")
    .trim();
}

/** True when the text has at least one character a person can see (not only spaces and invisible marks). */
export function hasVisibleText(text: string): boolean {
  return /[^\s\p{Z}\p{Cc}\p{Cf}]/u.test(text.replace(BLANK_LOOKING, ""));
}
