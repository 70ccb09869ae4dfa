// The customer's own words of an e-mail: quoted earlier messages ("On … wrote:",
// "Am … schrieb …:", "Le … a écrit :", "El … escribió:", "-----Original
// Message-----", `>` lines) and the signature ("-- ", "Sent from my iPhone",
// "Von meinem iPhone gesendet", "Regards,") are cut, so they never reach the
// draft.
//
// The recognising is done by `email-reply-parser` (crisp-oss, MIT; GitHub's
// email_reply_parser by way of willdurand's PHP port). Chosen over the other
// npm options (compared in docs/connectors.md "Quoted replies and
// signatures"): it is maintained (several releases a year), has no
// dependencies, ships its types, runs in workerd as it is, and knows the
// quote headers of about fifteen languages (English, German, French, Spanish,
// Italian, Portuguese, Dutch, Polish, Danish, Swedish, Finnish, Russian,
// Chinese, Japanese, Korean) plus the signatures of mobile mail apps. `planer`
// (the talon port) needs a DOM for HTML and knows no signatures, `talonjs`
// drags in cheerio 0.22 and xmldom, and `node-email-reply-parser` is the same
// algorithm, older, with lodash.
//
// What we add around it:
// - Its regular expressions backtrack (it uses re2 only when the native
//   module is installed, which workerd cannot load): a 4 kB line or a 16 kB
//   text written to hurt takes seconds. So lines longer than MAX_LINE (content,
//   never a quote header) are swapped for a token while it reads, and it reads
//   WINDOW characters at a time, at most MAX_WINDOWS times; the rest of a long
//   mail without a quote is kept as it is.
// - A forwarded message ("---------- Forwarded message ---------", "Begin
//   forwarded message:", Outlook's block with "Subject: FW: …") is what the
//   customer wants us to read: it is kept, and only the text above it is read.
// - Outlook's header block ("From: Name" then "Sent: …" / "Von: …" then
//   "Gesendet: …") starts the quoted history even without an address, which
//   the library requires.
// - Closings in every supported language with the signature under them, and
//   the confidentiality disclaimers and company details business mail ends
//   with, which the library does not know (./mail-footer.ts).
// - When nothing would be left (a message that is all quote), the text stays whole.
import EmailReplyParser from "email-reply-parser";
import { trimMailFooter } from "./mail-footer";

/** A longer line is content: no quote header or signature line is this long. */
const MAX_LINE = 300;
/** Characters handed to the parser at once: its worst case grows with the cube of this. */
const WINDOW = 3_000;
/** Windows read before the rest is kept unread. */
const MAX_WINDOWS = 5;

const parser = new EmailReplyParser();

/** "---------- Forwarded message ---------" (Gmail, Thunderbird) and Apple Mail's "Begin forwarded message:", in several languages. */
const FORWARD_MARKER =
  /^(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|mensagem encaminhada)\s*-{2,}|(?:begin forwarded message|anfang der weitergeleiteten nachricht|d[ée]but du message r[ée]exp[ée]di[ée]|inicio del mensaje reenviado)\s?:)$/i;
/** The first line of Outlook's header block: "From: …", "Von: …", "De : …". */
const OUTLOOK_FROM = /^\*?(?:from|von|de|van|da|fra|från|od|lähettäjä)\s?:\*?\s*\S/i;
/** A header line that follows it within a few lines: "Sent:", "Gesendet:", "Envoyé :", "Enviado el:", "Date:". */
const OUTLOOK_SENT =
  /^\*?(?:sent|date|gesendet|datum|envoy[ée]|enviado(?: el)?|enviada|fecha|verzonden|inviato|data|sendt|skickat|wysłano|wysłane|lähetetty)\s?:/i;
/** The customer saying they forward something, in the supported languages. */
const FORWARDING = /forward|weiterleit|weitergeleitet|reenv[ií]|reenvio|transf[eè]r|inoltr|doorgestuurd|doorsturen|encaminh|przekazuj|przesy[lł]am/i;
/**
 * "-----Mensaje original-----", "-----Messaggio originale-----": a few words between dashes (a forward
 * was ruled out first; "-----BEGIN PGP SIGNED MESSAGE-----" is the message itself).
 */
const ORIGINAL_MESSAGE = /^-{3,}\s?(?!BEGIN |END )[\p{L} ]{3,40}\s?-{3,}$/u;
/**
 * A quote header the library does not know ("… <apoio@example.pt> escreveu (terça, 1/12/2026 à(s) 09:14):",
 * "Op 2 dec 2026 om 08:03 heeft … <…> het volgende geschreven:"): an address, a time, and a colon at the end.
 */
const ADDRESS_HEADER = /[<[(](?:mailto:)?[\w.+-]+@[\w-]+\.[\w.-]+[>\])]/;
const TIME = /\b\d{1,2}[:.h]\d{2}\b/;
/** Lotus Notes and some web mails: the sender alone on a line ("Acme Support" <support@…>), the date and time on the next. */
const SENDER_ONLY = /^"?[^<>"]{0,80}"?\s*<[\w.+-]+@[\w-]+\.[\w.-]+>\s*$/;
const DATE_AND_TIME = /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}[ ,]+\d{1,2}:\d{2}/;
/** The block's subject line of a forward: "Subject: FW: …", "Betreff: WG: …", "Objet : TR : …". */
const OUTLOOK_FORWARD_SUBJECT =
  /^\*?(?:subject|betreff|objet|asunto|onderwerp|oggetto|assunto|emne|ämne|temat|aihe)\s?:\*?\s*(?:fwd?|wg|tr|rv|doorst|enc|vs|vb)\s?:/i;

const TOKEN_START = "\uE000";
const TOKEN_END = "\uE001";
const TOKEN = /(?:>)?\uE000(\d+)\uE001/g;

/** Where the text above a forward or an Outlook block ends, and whether what follows is kept (a forward) or history. */
function findCut(lines: string[]): { at: number; keepRest: boolean } | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_LINE) continue;
    if (FORWARD_MARKER.test(line.trim())) return { at: i, keepRest: true };
    // "Forwarding this from our team lead" above an "-----Original Message-----": what follows is the matter.
    if (ORIGINAL_MESSAGE.test(line.trim())) return { at: i, keepRest: lines.slice(0, i).some((l) => FORWARDING.test(l)) };
    if (line.trim().endsWith(":") && ADDRESS_HEADER.test(line) && TIME.test(line)) return { at: i, keepRest: false };
    if (SENDER_ONLY.test(line.trim()) && DATE_AND_TIME.test((lines[i + 1] ?? "").trim())) return { at: i, keepRest: false };
    // GMX and WEB.DE put "Gesendet:" before "Von:".
    if (OUTLOOK_SENT.test(line) && lines.slice(i + 1, i + 4).some((l) => l.length <= MAX_LINE && OUTLOOK_FROM.test(l))) return { at: i, keepRest: false };
    if (!OUTLOOK_FROM.test(line)) continue;
    const block = lines.slice(i + 1, i + 5);
    if (!block.some((l) => l.length <= MAX_LINE && OUTLOOK_SENT.test(l))) continue;
    const forward = lines.slice(i + 1, i + 7).some((l) => l.length <= MAX_LINE && OUTLOOK_FORWARD_SUBJECT.test(l));
    return { at: i, keepRest: forward };
  }
  return null;
}

/** The parser's reading of some lines: the visible text, and whether a quote or signature runs to their end. */
function readLines(lines: string[]): { visible: string; endsHidden: boolean } {
  const long: string[] = [];
  const input = lines
    .map((line) => {
      if (line.length <= MAX_LINE) return line;
      long.push(line);
      return `${line.startsWith(">") ? ">" : ""}${TOKEN_START}${long.length - 1}${TOKEN_END}`;
    })
    .join("\n");
  const fragments = parser.read(input).getFragments();
  const last = [...fragments].reverse().find((f) => f.getContent().trim() !== "");
  const visible = fragments
    .filter((f) => !f.isHidden())
    .map((f) => f.getContent())
    .join("\n")
    .replace(TOKEN, (_, n: string) => long[Number(n)] ?? "");
  return { visible, endsHidden: !!last?.isHidden() };
}

/**
 * The newest message of an e-mail in plain text (lines separated by "\n"),
 * without the quoted history under it and without its signature. Text that
 * has neither comes back unchanged; so does text that would be left empty.
 */
export function stripQuotedReply(text: string): string {
  if (!text.trim() || text.includes(TOKEN_START) || text.includes(TOKEN_END)) return text;
  const lines = text.split("\n");
  const cut = findCut(lines);
  const readable = cut ? lines.slice(0, cut.at) : lines;
  const kept: string[] = [];
  let i = 0;
  let historyFollows = false;
  for (let windows = 0; i < readable.length && windows < MAX_WINDOWS; windows++) {
    const start = i;
    let size = 0;
    while (i < readable.length && (i === start || size + readable[i]!.length <= WINDOW)) size += readable[i++]!.length + 1;
    const { visible, endsHidden } = readLines(readable.slice(start, i));
    kept.push(visible);
    if (endsHidden) {
      historyFollows = true;
      break;
    }
  }
  // Unread lines (a long mail without a quote so far) stay as they are.
  if (!historyFollows) kept.push(...readable.slice(i));
  const tidy = (part: string) =>
    part
      .replace(/[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  // The signature and notices end the customer's own message; a forward under it is kept whole.
  const own = trimMailFooter(tidy(kept.join("\n"))).trim();
  const forward = !historyFollows && cut?.keepRest ? tidy(lines.slice(cut.at).join("\n")) : "";
  const result = [own, forward].filter(Boolean).join("\n\n");
  return result || text;
}
