// Customer data out of text before a sample of a drafting run is stored:
// e-mail addresses, phone numbers, payment card numbers, IBANs and postal
// addresses become markers ("[email]", …) and are counted by kind. Pure: no
// storage, no imports. Rules lean towards keeping ordinary numbers (dates,
// times, prices, versions, order and ticket ids) readable; what they miss is
// listed in docs/samples.md.

const REDACTION_KINDS = ["email", "iban", "card", "address", "phone"] as const;
type RedactionKind = (typeof REDACTION_KINDS)[number];
export type RedactionCounts = Partial<Record<RedactionKind, number>>;

const marker = (kind: RedactionKind) => `[${kind}]`;

// ── e-mail ───────────────────────────────────────────────────────────────

// Every run is bounded (a local part is at most 64 characters, a label 63, as in RFC 5321): ticket text is
// untrusted, and an unbounded run retried from each position of a long line takes quadratic time.
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?){1,8}/gu;

// ── IBAN: country code, check digits, up to 30 more; mod-97 decides ─────────

const IBAN_START = /\b[A-Z]{2}\d{2}(?=[ \u00a0]?[A-Z0-9])/g;

/** The ISO 13616 check: the rearranged number, letters as 10..35, is 1 modulo 97. */
function ibanValid(compact: string): boolean {
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const v = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of v) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

function redactIbans(text: string, count: (k: RedactionKind) => void): string {
  let out = "";
  let from = 0;
  for (const m of text.matchAll(IBAN_START)) {
    if (m.index < from) continue;
    // Groups of capitals and digits, one space apart; the longest run that checks out is the IBAN.
    const run = /^(?:[ \u00a0]?[A-Z0-9]+)+/.exec(text.slice(m.index + 4, m.index + 4 + 60));
    if (!run) continue;
    const groups = run[0].match(/[ \u00a0]?[A-Z0-9]+/g) ?? [];
    let length = 0;
    let best = 0;
    let compact = m[0];
    for (const g of groups) {
      length += g.length;
      compact += g.trimStart();
      if (compact.length > 34) break;
      const end = m.index + 4 + length;
      if (compact.length >= 15 && ibanValid(compact) && !/[\p{L}\p{N}]/u.test(text[end] ?? "")) best = length;
    }
    if (!best) continue;
    out += `${text.slice(from, m.index)}${marker("iban")}`;
    from = m.index + 4 + best;
    count("iban");
  }
  return out + text.slice(from);
}

// ── payment cards: 13 to 19 digits, single spaces or dashes, Luhn-valid ────

/** Where a number starts: a card's first digit is 2 to 6 (Mastercard, Amex, Visa, Discover, UnionPay, …). */
const CARD_START = /(?<![\p{L}\p{N}#/.,+-])[2-6]/gu;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function redactCards(text: string, count: (k: RedactionKind) => void): string {
  let out = "";
  let from = 0;
  for (const m of text.matchAll(CARD_START)) {
    if (m.index < from) continue;
    // Groups of digits, one space or dash apart; the longest run of 13 to 19 digits that passes Luhn is the card.
    const run = /^\d+(?:[ -]\d+)*/.exec(text.slice(m.index, m.index + 40))?.[0] ?? "";
    let length = 0;
    let best = 0;
    for (const g of run.match(/[ -]?\d+/g) ?? []) {
      length += g.length;
      const digits = run.slice(0, length).replace(/\D/g, "");
      if (digits.length > 19) break;
      const next = text.slice(m.index + length, m.index + length + 2);
      if (digits.length >= 13 && luhnValid(digits) && !/^(?:[\p{L}\p{N}]|[.,]\d)/u.test(next)) best = length;
    }
    if (!best) continue;
    out += `${text.slice(from, m.index)}${marker("card")}`;
    from = m.index + best;
    count("card");
  }
  return out + text.slice(from);
}

// ── postal addresses ──────────────────────────────────────────────────────

const CAP = String.raw`\p{Lu}[\p{L}'’.-]{0,40}`;
const HOUSE_NUMBER = String.raw`\d{1,5}(?:(?:[a-zA-Z]|\s[A-Z])(?![\p{L}]))?(?:\s?[-/]\s?\d{1,5}[a-zA-Z]?)?`;

/** Postcode and city: Germany, France, Spain, Italy (5 digits), the Netherlands (1234 AB), Portugal (1234-567), Austria/Switzerland/Belgium (4 digits), the UK. */
const POSTCODE_CITY = String.raw`(?:(?:[A-Z]{1,2}-)?\d{5}|\d{4}(?:\s?[A-Z]{2}|-\d{3})?)\s+${CAP}(?:[ -]${CAP}){0,2}`;
const UK_POSTCODE = String.raw`\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b`;
const US_CITY_STATE_ZIP = String.raw`${CAP}(?:\s${CAP}){0,2},\s[A-Z]{2}\s\d{5}(?:-\d{4})?\b`;

/** A postcode line right after a street line belongs to the same address. */
const FOLLOWING_TOWN = String.raw`(?:(?:,[ \t]{0,3}|[ \t]{0,20}\r?\n[ \t]{0,20})(?:${POSTCODE_CITY}|(?:${CAP}(?:[ -]${CAP}){0,2},?[ \t]{1,3})?${UK_POSTCODE}|${US_CITY_STATE_ZIP}))?`;

const EN_STREET = String.raw`(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|Way|Court|Ct\.|Place|Pl\.|Square|Sq\.|Terrace|Close|Crescent|Gardens|Parkway|Highway|Row|Mews)`;
const DE_NL_SUFFIX = String.raw`(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee|straat|gracht|laan|plein|kade|dijk|singel|steeg)`;
const DE_STREET_WORD = String.raw`(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Damm|Ufer|Chaussee)`;
/** Street words that come before the name (Romance languages; French as written in Belgium and Switzerland: "Rue de la Loi 16"). */
const ROMANCE_STREET = String.raw`(?:Rue|Avenue|Boulevard|Chaussée|Chemin|Quai|Calle|C\/|Avenida|Avda\.|Paseo|Plaza|Pza\.|Camino|Carretera|Ronda|Travesía|Rua|R\.|Travessa|Largo|Praça|Alameda|Estrada|Via|V\.le|Viale|Piazza|P\.za|Corso|Vicolo|Strada|Lungomare)`;
/** Lower case or capitalised: "12 rue de la Paix", "12, Rue de la Paix". */
const FR_STREET = `(?:${["rue", "avenue", "av\\.", "boulevard", "bd", "place", "chemin", "allée", "impasse", "quai", "route", "cours", "square", "passage"]
  .map((w) => `[${w[0]}${w[0]!.toUpperCase()}]${w.slice(1)}`)
  .join("|")})`;
/** One particle: a word and a space, or an elided article ("l'", "d’"); whole words only, so "delle" cannot also be "del" + "le" (that ambiguity backtracks exponentially). */
const PARTICLE = String.raw`(?:(?:de|del|della|dello|dei|degli|delle|di|da|do|das|dos|des|du|la|las|los|le|les)\s{1,3}|[lLdD]['’]\s{0,2})`;
const PARTICLES = `${PARTICLE}{0,3}`;

const ADDRESS_PATTERNS: RegExp[] = [
  // 221B Baker Street; 1600 Pennsylvania Avenue
  new RegExp(String.raw`(?<![\p{L}\p{N}])\d{1,5}[A-Za-z]?(?:-\d{1,5})?,?\s+(?:${CAP}\s+){1,4}${EN_STREET}(?![\p{L}])${FOLLOWING_TOWN}`, "gu"),
  // Hauptstraße 5; Kalverstraat 92; Berliner Straße 12a
  new RegExp(String.raw`(?<![\p{L}])\p{Lu}[\p{Ll}-]{2,40}${DE_NL_SUFFIX}\s+${HOUSE_NUMBER}(?![\p{L}\p{N}])${FOLLOWING_TOWN}`, "gu"),
  new RegExp(String.raw`(?<![\p{L}])${CAP}\s+${DE_STREET_WORD}\s+${HOUSE_NUMBER}(?![\p{L}\p{N}])${FOLLOWING_TOWN}`, "gu"),
  // 12 rue de la Paix
  new RegExp(
    String.raw`(?<![\p{L}\p{N}])\d{1,4}(?:\s?(?:bis|ter))?,?\s+${FR_STREET}\s+${PARTICLES}${CAP}(?:\s+${PARTICLES}${CAP}){0,3}${FOLLOWING_TOWN}`,
    "gu",
  ),
  // Calle Mayor 10; Via del Corso, 12; Rua das Flores, nº 12
  new RegExp(
    String.raw`(?<![\p{L}])${ROMANCE_STREET}\s+${PARTICLES}${CAP}(?:\s+${PARTICLES}${CAP}){0,3},?\s*(?:n[º°o.]\s*)?${HOUSE_NUMBER}(?![\p{L}\p{N}])${FOLLOWING_TOWN}`,
    "gu",
  ),
  // A postcode and city on a line of their own; a UK postcode; a US city, state and ZIP.
  new RegExp(String.raw`^[ \t]{0,20}${POSTCODE_CITY}(?:,[ \t]{0,3}${CAP}(?:[ -]${CAP}){0,2})?[ \t]{0,20}$`, "gmu"),
  new RegExp(UK_POSTCODE, "g"),
  new RegExp(US_CITY_STATE_ZIP, "gu"),
];

function redactAddresses(text: string, count: (k: RedactionKind) => void): string {
  let out = text;
  for (const pattern of ADDRESS_PATTERNS) {
    out = out.replace(pattern, (found) => {
      const lead = /^[ \t]*/.exec(found)?.[0] ?? "";
      const trail = /[ \t]*$/.exec(found)?.[0] ?? "";
      count("address");
      return `${lead}${marker("address")}${trail}`;
    });
  }
  return out;
}

// ── phone numbers ─────────────────────────────────────────────────────────

const PHONE_CANDIDATE = /(?:\+[ \u00a0]?|\b00)?(?:\(\d{1,5}\)|\d{1,6})(?:(?:[ \u00a0.-]|[ \u00a0]?\/[ \u00a0]?)?(?:\(\d{1,5}\)|\d{1,6})){0,7}/g;

/** Shapes a phone number is not: dates, times, versions, prices. A candidate touching one is left alone. */
const NOT_PHONES = [
  // A date ends there: 06.12.34.56.78 is a French phone number, not a date.
  /(?<!\d[-/.])\b\d{4}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b(?![-/.]\d)/g,
  /(?<!\d[-/.])\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:\d{4}|\d{2})\b(?![-/.]\d)/g,
  /\b\d{1,2}:\d{2}(?::\d{2})?\b/g,
  /\b[vV]\d+(?:\.\d+)+\b/g,
  /(?<![\d.])\b[1-9]\d?\.\d{1,3}\.\d{1,5}(?:\.\d{1,5})?\b(?!\.\d)/g,
  /(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF|JPY)\b)[ \u00a0]?\d[\d.,' \u00a0]{0,24}/g,
  /\d[\d.,' \u00a0]{0,24}[ \u00a0]?(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF|JPY|euros?|dollars?|pounds?|francs?)\b)/g,
];

/** Words just before a number that say it is a phone number (en, de, fr, es, pt, it, nl). */
const PHONE_WORDS =
  /(?<![\p{L}])(?:phone|tel|telephone|mobile|mob|cell|call(?: me)?(?: on| at)?|whatsapp|fax|telefon|handy|mobil|rufnummer|ruf|téléphone|portable|appelez|appeler|teléfono|telefono|móvil|movil|llámame|llamar|telefone|telemóvel|celular|ligue|cellulare|chiamare|chiamami|telefoon|mobiel|bel(?: me)?)\b[^\p{L}\p{N}]{0,6}(?:(?:nr|no|num(?:ber|éro|ero)?|nummer|número|numero)\b[^\p{L}\p{N}]{0,4})?$/iu;

/** Words just before a number that say it is something else (an order, invoice, ticket, account or case). */
const ID_WORDS =
  /(?<![\p{L}])(?:order|invoice|ticket|case|account|reference|ref|customer|booking|tracking|serial|id|bestellung|bestellnummer|rechnung|kundennummer|auftrag|commande|facture|dossier|pedido|factura|referencia|encomenda|fatura|ordine|fattura|pratica|bestelling|factuur|klantnummer)\b[^\p{L}\p{N}]{0,6}(?:(?:nr|no|num(?:ber|éro|ero)?|nummer|número|numero)\b[^\p{L}\p{N}]{0,4})?$/iu;

function phoneShaped(found: string): boolean {
  const digits = found.replace(/\D/g, "");
  const groups = found.match(/\d+/g) ?? [];
  const sizes = groups.map((g) => g.length).join("-");
  if (groups.length >= 2 && digits.length >= 9 && digits.length <= 12 && /^\(?0[1-9]/.test(found)) return true;
  // North America: (415) 555-0132, 415-555-0132; Italian mobiles too (333 123 4567).
  if ((sizes === "3-3-4" || sizes === "1-3-3-4") && /^(?:1[ .-]?)?\(?[2-9]/.test(found)) return true;
  // Spain and Portugal: 912 345 678, 612 34 56 78.
  return (sizes === "3-3-3" || sizes === "3-2-2-2") && /^[6-9]/.test(found);
}

function redactPhones(text: string, count: (k: RedactionKind) => void): string {
  // Characters inside a date, time, version or price (a mask: checking a list of spans per candidate would be quadratic).
  const guarded = new Uint8Array(text.length);
  for (const pattern of NOT_PHONES) for (const m of text.matchAll(pattern)) guarded.fill(1, m.index, m.index + m[0].length);
  return text.replace(PHONE_CANDIDATE, (found: string, at: number) => {
    const digits = found.replace(/\D/g, "").length;
    const before = text.slice(Math.max(0, at - 40), at);
    const after = text.slice(at + found.length, at + found.length + 2);
    const international = found.startsWith("+") || found.startsWith("00");
    if (international ? digits < 8 || digits > 15 : digits < 6 || digits > 13) return found;
    // Glued to a word, an id or a decimal: part of something else.
    if (/[\p{L}\p{N}#_/\\-]$|[\p{L}\p{N}][.,]$/u.test(before) || /^(?:[\p{L}\p{N}_/]|[.,]\d|-\d)/u.test(after)) return found;
    const phoneWord = PHONE_WORDS.test(before);
    if (!international && !phoneWord) {
      const end = at + found.length;
      if (ID_WORDS.test(before) || guarded.subarray(at, end).includes(1) || !phoneShaped(found)) return found;
    }
    count("phone");
    return marker("phone");
  });
}

// ── the whole text, and JSON values ───────────────────────────────────────

/** `text` with customer data replaced by markers, and how many of each kind. */
export function redactText(text: string): { text: string; counts: RedactionCounts } {
  const counts: RedactionCounts = {};
  const count = (k: RedactionKind) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  let out = text.replace(EMAIL, () => {
    count("email");
    return marker("email");
  });
  out = redactIbans(out, count);
  out = redactCards(out, count);
  out = redactAddresses(out, count);
  out = redactPhones(out, count);
  return { text: out, counts };
}

/** Every string inside a JSON value redacted (object keys stay), and the counts summed. */
export function redactJson<T>(value: T): { value: T; counts: RedactionCounts } {
  const counts: RedactionCounts = {};
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = redactText(v);
      for (const [k, n] of Object.entries(r.counts) as [RedactionKind, number][]) counts[k] = (counts[k] ?? 0) + n;
      return r.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value) as T, counts };
}
