// What business mail carries under the message and email-reply-parser leaves
// (it knows a few English and French closings and no disclaimers). The
// signature starts at a closing in any supported language followed by a name
// ("Mit freundlichen Grüßen" / "Dr. Katrin Weber", "Pozdr." / "Marek",
// "Cheers, Tom"), at a paragraph of name, title and contact lines, or at a
// one-line signature ("Anna Berg · Head of Ops · Acme · +49 …"), and is cut
// with everything under it (banners, office-hours notes, company details,
// disclaimers). Without one, the message ends at the first paragraph after the
// first that is a notice (a disclaimer, a data-protection notice, a
// shared-mailbox note, a fraud warning, a "think before you print" note, a
// notice's heading) or company details, and at a phone's footer. Triage read
// all of it as the ticket's own words: a disclaimer's "legally privileged" and
// "strictly prohibited" changed the urgency or the category of most tickets
// and raised false legal-threat hard stops (docs/triage.md, "Mail clutter").
//
// What is kept: the first line and paragraph; a closing with a line of
// message under it ("Regards" then more text); thanks that say more than
// thanks; a paragraph in the first person, however much it sounds like a
// notice ("I request a copy of my data under GDPR"). Text that would be left
// empty stays whole (./reply-text.ts). Patterns run on short lines, or once
// per paragraph without nested repetition, since ticket text is untrusted.

/** Farewell formulas in the supported languages, as the whole line or followed by ", Name". */
const FAREWELL =
  "best(?: regards| wishes)?|(?:kind|warm|warmest|kindest) regards|regards|cheers|sincerely|gr\\.|grtz|amiti[ée]s|belle journ[ée]e|avec mes remerciements|beijinhos|att\\.|" +
  "yours (?:sincerely|faithfully|truly)|respectfully|all the best|take care|speak soon|" +
  "(?:mit )?(?:freundlichen|freundliche|besten|beste|viele|liebe|herzliche|sch[oö]ne|sonnige)n? gr(?:ü|ue|u)(?:ß|ss)(?:en|e)?|gr(?:ü|ue|u)(?:ß|ss)e|mfg|lg|vg|gru(?:ß|ss)|" +
  "(?:un |muchos |reciba un )?(?:cordial(?:es)? )?saludos?(?: cordiales)?|atentamente|cordialmente|un abrazo|abrazos?|besos|" +
  "cordialement|bien (?:cordialement|[aà] vous)|(?:meilleures |sinc[eè]res )?salutations(?: distingu[ée]es)?|bonne (?:journ[ée]e|soir[ée]e)|[aà] bient[oô]t|bise?s?|cdlt|" +
  "atenciosamente|(?:com os (?:meus )?melhores )?cumprimentos|(?:um )?abra[cç]os?|beijos?|bjs|abs|" +
  "(?:cordiali|distinti|cari|un caro|tanti) salut[io]|saluti|un saluto|con osservanza|a presto|buona (?:giornata|serata)|" +
  "(?:met )?(?:vriendelijke|hartelijke|beste) groet(?:en)?|groet(?:en|jes)?|hoogachtend|mvg|" +
  "z powa[zż]aniem|(?:serdecznie )?pozdrawiam(?: serdecznie)?|pozdrowienia|pozdr|z wyrazami szacunku|mi[lł]ego dnia";
/** Thanks in the supported languages: a closing only when short and followed by a name. */
const THANKS =
  "(?:many |thanks? |thank you )?(?:thanks|thank you)(?: again| in advance| so much)?|thx|tks|ty|danke(?: sch[oö]n| und gr[uü](?:ß|ss)e)?|vielen dank|gracias|muchas gracias|merci(?: beaucoup| et bonne journ[ée]e)?|obrigad[oa](?: desde j[aá])?|muito obrigad[oa]|grazie(?: mille)?|(?:alvast )?bedankt|dank(?:je|u) wel|dzi[eę]kuj[eę](?: i pozdrawiam)?|dzi[eę]ki";

/** "Best regards," alone on its line (a trailing "/ Kind regards", "aus dem Allgäu" and punctuation allowed). */
const CLOSING_LINE = new RegExp(
  `^(?:${FAREWELL})(?:\\s*/\\s*[\\p{L} ]{3,30}|\\s+(?:aus|from|de|desde|da|dalla|uit|z|vanuit)\\s[\\p{L} ]{2,30})?[\\s,.!]*$`,
  "iu",
);
/** "Many thanks and have a lovely weekend,": thanks with a wish, ending in a comma. */
const THANKS_AND_WISH = new RegExp(`^(?:${THANKS})\\s+(?:and|und|y|et|e|en|i)\\s[\\p{L} ]{2,40},$`, "iu");
/** A closing sentence that ends in a farewell ("In attesa di un Vostro cortese riscontro, porgo distinti saluti."). */
const ENDS_IN_FAREWELL = new RegExp(`(?:${FAREWELL})[.!]?$`, "iu");
/** "Cheers, Tom", "LG Tom", "Pozdrawiam, Kasia": a farewell and a name on one line. */
const CLOSING_WITH_NAME = new RegExp(`^(?:${FAREWELL}|${THANKS})[,!.]?\\s+(.{1,30})$`, "iu");
/** The name after such a farewell: one to three capitalised words or initials. */
const SHORT_NAME = /^\p{Lu}[\p{L}.'-]*(?:\s\p{Lu}[\p{L}.'-]*){0,2}\.?$/u;
const THANKS_LINE = new RegExp(`^(?:${THANKS})[\\s,.!]*$`, "iu");
/** The formal French closing sentence, whatever its wording in between. */
const FRENCH_FORMULA = /^(?:je vous prie|veuillez agr[ée]er|recevez|dans l'attente).{0,140}(?:salutations|sentiments|respectueu)/iu;

/** A line that is no more than a name, maybe with a title or pronouns: a few words, no sentence. */
function nameLike(line: string): boolean {
  const t = line.trim();
  // Initials: "/ek", "—JS", "WvdB", "A.B."
  if (/^[-—–/]?\s?(?:\p{L}\.?){1,5}$/u.test(t)) return true;
  if (isSignatureLine(t)) return true;
  if (!t || t.length > 60 || /[?:;@]|https?:|\d{3}/.test(t)) return false;
  return t.split(/\s+/).length <= 7 && /\p{Lu}/u.test(t);
}

/** Contact details that only a signature has: a phone number, an e-mail address, a labelled number ("tel. wewn. 2345"). */
const STRONG_CONTACT =
  /(?:\+?\d[\d ()./-]{6,}\d)|[\w.+-]+@[\w-]+\.[\w.-]+|\b(?:tel|t[ée]l|fax|ext|mob|mobile|m|t|phone|telefon|telefono|tel[eé]fono|cel|pbx|gsm|kom|sein|bleep|pec)\b\.?(?:\s*\p{L}{1,8}\.?)?\s*:?\s*[\d+(]/iu;
/** Any contact detail: those, or a link, a web address, a postcode with a town, a handle, a "|" or "·" between parts. */
const CONTACT = new RegExp(
  `${STRONG_CONTACT.source}|https?:\\/\\/|www\\.|\\b[\\w-]+\\.(?:com|org|net|io|example|test|de|es|fr|pt|it|nl|pl|be|ch|at|br|mx|uk)\\b|\\b\\d{4,5}\\s\\p{Lu}\\p{L}+|\\b\\d{2}-\\d{3}\\s\\p{Lu}|@\\w{3,}|\\b(?:linkedin|instagram|facebook|twitter|x\\.com|xing)\\b|\\s[|·•]\\s`,
  "iu",
);

/** Separators between the parts of a one-line signature ("Anna Berg · Head of Ops · Acme · +49 …"). */
const PART_SEPARATOR = /\s[|·•—–]\s/gu;

/** A one-line signature: three or more short parts between separators, one of them a contact or all of them name-like. */
function isSignatureLine(line: string): boolean {
  if (line.length > 200) return false;
  const parts = line.split(PART_SEPARATOR);
  if (parts.length < 3 || parts.some((p) => p.length > 60)) return false;
  return STRONG_CONTACT.test(line) || parts.every((p) => !/[.?!]$/.test(p.trim()));
}

/** A phone's or app's footer: a device or mail app and a verb of sending or getting, on one short line. */
const MOBILE_DEVICE =
  /iphone|ipad|android|samsung|galaxy|outlook|yahoo|gmail|blackberry|huawei|xiaomi|smartphone|mobiltelefon|web\.de|gmx|spark|libero|onet|orange|wp\.pl|interia|proton|mobile|m[oó]vil|portable|telem[oó]vel|cellulare|telefoon|telefonu|kom[oó]rk|mail app|\bapp\b/iu;
const MOBILE_VERB =
  /sent|get |download|gesendet|herunterladen|holen|enviad|obt[ei]|descarg|envoy|t[ée]l[ée]charg|inviat|scarica|ottieni|verzonden|verstuurd|downloaden|wys[lł]an|pobierz|baix/iu;

/** What a disclaimer or notice says; it is one when it says two of these, one of them only a notice says. */
const NOTICE_CUES = {
  confidential:
    /confidential|privileged|vertraulich|confiden[cz]ial|confidentiel|riservat|vertrouwelijk|poufn|segreto professionale|beroepsgeheim|tajemnic|sigilo|secret professionnel/iu,
  instruction:
    /notify|delete|destroy|waarschuw|l[oö]schen|vernichten|benachrichtig|eliminar|destruir|supprim|d[ée]trui|avertir|cancell|distrugg|verwijder|vernietig|usu[nń]|zniszcz|powiadom|apag/iu,
  dataProtection:
    /gdpr|dsgvo|rgpd|\bavg\b|rodo|lgpd|data protection|datenschutz|protecci[oó]n de datos|protection des donn[ée]es|prote[cç][aã]o de dados|privacy|privacidad|privacidade|persoonsgegevens|dane osobowe|danych osobowych|personal data|personenbezogen|datos personales|donn[ée]es personnelles|dados pessoais|dati personali/iu,
  selfReference:
    /this (?:e-?mail|message|communication)|diese (?:e-?mail|nachricht)|este (?:correo|mensaje|e-?mail)|ce (?:courriel|message|mail)|esta mensagem|este e-?mail|questo messaggio|questa e-?mail|il presente messaggio|dit (?:e-?mail)?bericht|deze e-?mail|ta wiadomo|wiadomo[sś][cć] ta|niniejsza wiadomo|(?:per|by|via|por|par) (?:e-?mail|correo|courriel)|drog[aą] (?:mailow|elektroniczn)|this (?:e-?mail|message) was sent|message envoy[ée]|messaggio inviato|wiadomo[sś][cć] wys[lł]ana|mensagem foi enviada|correo se env[ií]a/iu,
};
/** Phrases only a notice uses: its recipient, viruses, binding offers, monitoring, a privacy policy, "we process your data". */
const NOTICE_ONLY =
  /shared mailbox|gruppenpostfach|buz[oó]n compartido|bo[iî]te partag[ée]e|caixa partilhada|casella condivisa|gedeelde mailbox|wsp[oó][lł]dzielon|your (?:personal )?data|ihre (?:personenbezogenen )?daten|sus datos|vos donn[ée]es|seus dados|i suoi dati|uw (?:persoons)?gegevens|pani\/pana danych|pa[nń]stwa dan|finalidad|base jur[ií]dica|legitimaci[oó]n|recipient|addressee|empf[aä]nger|adressat|destinat|destinad|destin[ée]|indirizzat|geadresseerde|bestemd|ontvanger|adresat|odbiorc|zamierzon|aviso legal|legal notice|rechtliche[rn]? hinweis|avis juridique|avviso legale|disclaimer|nota legal|data protection officer|datenschutzbeauftragt|d[ée]l[ée]gu[ée] (?:[aà] la )?protection|delegado de protecci|encarregado|responsabile della protezione|functionaris gegevensbescherming|inspektor ochrony|virus|viren|vírus|binding|rechtsverbindlich|vinculante|vinculativ|contractuel|contrattual|rechten worden ontleend|oferty w rozumieniu|not an offer|monitored|überwacht|supervisad|surveill|monitorat|gecontroleerd|monitorowan|privacy (?:policy|notice|statement)|datenschutzerkl[aä]rung|datenschutzhinweis|pol[ií]tica de privacidad|politique de confidentialit|pol[ií]tica de privacidade|informativa (?:sulla )?privacy|privacyverklaring|polityka prywatno|administratorem|responsable del tratamiento|we process|wir verarbeiten|tratamos sus|nous traitons|trattiamo|wij verwerken|przetwarzamy|are processed|werden verarbeitet|sono trattati|s[aã]o tratados|przetwarzane s[aą]|cyber ?crime|bank details|bankverbindung|rechnungsbetrug/iu;
/**
 * A customer writing about their own data or mail ("I request a copy of my data under GDPR") is not a notice.
 * ("I" counts only in text that is not all capitals, where it is Polish, Italian or Dutch for "and" or "the".)
 */
const FIRST_PERSON =
  /(?<![\p{L}\d])(?:me|my|mine|ich|mein\p{L}*|mich|mir|yo|mis?|je|mon|mes|moi|meu|minha|meus|mio|mia|miei|mie|ik|mijn|m[oó]j\p{L}*|moich|moim|mnie)(?![\p{L}\d])/iu;
const FIRST_PERSON_I = /(?<![\p{L}\d])I(?![\p{L}\d])/u;
/** Nor is one writing about their own company's numbers ("our VAT number is missing from the invoice"). */
const FIRST_PERSON_PLURAL =
  /(?<![\p{L}\d])(?:we|our|us|wir|uns\p{L}*|nuestr\p{L}*|nosotros|noss[oa]s?|nous|notre|nos|nostr[oaie]|noi|wij|ons|onze|nasz\p{L}*|nas)(?![\p{L}\d])/iu;

/** "Please consider the environment before printing this e-mail", and its translations. */
const PRINT_NOTE =
  /before printing|before you print|vor dem ausdrucken|bevor sie diese|antes de imprimir|avant d'imprimer|prima di stampare|voordat u (?:deze|dit)|aan het milieu|przed wydrukowaniem|zanim wydrukujesz|pensa all'ambiente|pense (?:no|em sua responsabilidade)/iu;
/** Or any short note that speaks of the environment and of printing. */
const ENVIRONMENT = /environment|umwelt|medio ambiente|environnement|ambiente|milieu|[sś]rodowisk|planet|🌍|🌱|🌿|🌳|♻/iu;
const PRINTING = /print|druck|imprim|stamp|drukuj|afdruk/iu;
/** A heading a notice stands under ("Legal notice", "Datenschutzhinweis", "Klauzula poufności"), alone on its line. */
const NOTICE_HEADING =
  /^(?:legal notice|disclaimer|confidentiality notice|privacy notice|data protection(?: notice)?|rechtliche[r]? hinweis(?:e)?|datenschutzhinweis(?:e)?|haftungsausschluss|aviso legal|aviso de (?:confidencialidad|privacidad|confidencialidade)|avertissement(?: juridique)?|mentions l[ée]gales|avis de confidentialit[ée]|nota legale|avviso legale|informativa(?: privacy)?|juridische kennisgeving|vertrouwelijkheid|klauzula (?:poufno[sś]ci|informacyjna)|informacja rodo)[\s:.]*$/iu;
/** A fraud warning: never, with bank details or credentials ("we will never ask you to change our bank details by e-mail"). */
const NEVER = /never|niemals|nunca|jamais|non\s(?:\p{L}+\s){0,3}mai\b|nooit|nigdy/iu;
const BANK_OR_CREDENTIALS =
  /bank details|bankverbindung|bankdaten|datos bancarios|coordonn[ée]es bancaires|dados banc[aá]rios|dati bancari|iban|bankgegevens|rachunk|password|passwort|contrase[nñ]a|mot de passe|senha|credenziali|credentials|inloggegevens|logowania|has[lł]a?\b|boletos?/iu;

/** Company details: a register, a court, a director, a tax or company number. Two or more make a footer. */
const COMPANY_DETAILS =
  /(?<![\p{L}\d])(?:handelsregister|registergericht|amtsgericht|hrb|hra|firmenbuch\w*|fn \d|uid|gesch[aä]ftsf[uü]hr\w*|vorstand|aufsichtsrat|sitz der gesellschaft|ust-?id\w*|steuer-?nr|registered in (?:england|scotland|wales)|company (?:registration )?(?:no|number)|registered office|vat (?:reg(?:istration)? )?no|companies house|kvk|kamer van koophandel|btw|kbo|rpr|ondernemingsnummer|rcs|siret|siren|ape|capital social|capitale sociale|tva|bce|rpm|p\.?\s?iva|partita iva|c\.f\.|rea|r\.e\.a\.|cif|nif|nipc|registro mercantil|reg\. merc|r\.m\.|tomo|folio|hoja|conservat[oó]ria|cnpj|nire|rfc|nip|krs|regon|kapita[lł] zak[lł]adowy|s[aą]d rejonowy|ceidg|s\.l\.p\.|s\.a\. de c\.v\.|domicilio fiscal|reg\. imprese|registro (?:delle )?imprese|handelsnaam|ingeschreven|sdi|codice destinatario|sociedad profesional|inscrita|financial conduct authority|authori[sz]ed and regulated|frn|partnership number|registered charity|company limited by guarantee|au capital de|soci[ée]t[ée] par actions simplifi[ée]e|immatricul[ée]e?|si[eè]ge social|sirene|registro delle imprese|sede legale|interamente versato|i\.v\.|eingetragen|pers[oö]nlich haftende\p{L}*|postbus|wydzia[lł] gospodarczy|krajowego rejestru s[aą]dowego|z siedzib[aą]|sp[oó][lł]ka akcyjna|sp\. z o\.o\.|wpisana do rejestru)(?![\p{L}\d])/giu;

/** Lines longer than this are message, not a signature line. */
const SIGNATURE_LINE_CHARS = 100;
/** Long lines a signature may carry under it: notes, banners, disclaimer paragraphs. */
const MAX_LONG_LINES_UNDER_SIGNATURE = 8;

/** The message without its signature and what follows it, and without the first notice and what follows that. */
export function trimMailFooter(text: string): string {
  const lines = text.split("\n");
  const start = signatureStart(lines, longLinesFrom(lines));
  const kept = start === null ? lines : lines.slice(0, start);
  return beforeFirstNotice(kept).join("\n").trimEnd();
}

/** For each line, how many long lines there are from it to the end (so each closing is checked in constant time). */
function longLinesFrom(lines: string[]): number[] {
  const counts = new Array<number>(lines.length + 1).fill(0);
  for (let i = lines.length - 1; i >= 0; i--) counts[i] = counts[i + 1]! + (lines[i]!.trim().length > SIGNATURE_LINE_CHARS ? 1 : 0);
  return counts;
}

/** The line where the signature starts: a closing with a name under it, or a paragraph of contact lines. */
function signatureStart(lines: string[], longFrom: number[]): number | null {
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.length > 160) continue;
    if (isClosing(lines, i, longFrom) || isContactBlock(lines, i) || isSignatureParagraph(lines, i)) return i;
  }
  return null;
}

function nextNonEmpty(lines: string[], i: number): string | undefined {
  for (let j = i + 1; j < lines.length && j <= i + 3; j++) if (lines[j]!.trim()) return lines[j]!.trim();
  return undefined;
}

function isClosing(lines: string[], i: number, longFrom: number[]): boolean {
  const line = lines[i]!.trim();
  if (line.length > 140 || (line.length > 60 && !FRENCH_FORMULA.test(line) && !ENDS_IN_FAREWELL.test(line))) return false;
  const next = nextNonEmpty(lines, i);
  const tail = () => shortTail(lines, i, longFrom);
  const withName = CLOSING_WITH_NAME.exec(line);
  if (withName && SHORT_NAME.test(withName[1]!)) return !next || tail();
  if (CLOSING_LINE.test(line) || FRENCH_FORMULA.test(line) || THANKS_AND_WISH.test(line)) return next === undefined || (nameLike(next) && tail());
  if (ENDS_IN_FAREWELL.test(line) && /[,;]/.test(line)) return next !== undefined && nameLike(next) && tail();
  if (THANKS_LINE.test(line) && line.split(/\s+/).length <= 4) return next !== undefined && nameLike(next) && tail();
  return false;
}

/** Under a closing: the name and its details (never a long sentence), then at most a few long lines (a banner, a note, a disclaimer). */
function shortTail(lines: string[], i: number, longFrom: number[]): boolean {
  const rightUnder = longFrom[i + 1]! - longFrom[Math.min(i + 3, lines.length)]!;
  return rightUnder === 0 && longFrom[i + 1]! <= MAX_LONG_LINES_UNDER_SIGNATURE;
}

/** A one-line signature with a contact detail, standing as its own paragraph at the end of the message (a banner may follow). */
function isSignatureParagraph(lines: string[], i: number): boolean {
  const line = lines[i]!.trim();
  return !lines[i - 1]!.trim() && (i + 1 >= lines.length || !lines[i + 1]!.trim()) && isSignatureLine(line) && STRONG_CONTACT.test(line);
}

/** A paragraph that starts with a name-like line and has contact details among its few short lines. */
function isContactBlock(lines: string[], i: number): boolean {
  if (lines[i - 1]!.trim() || !nameLike(lines[i]!)) return false;
  const block: string[] = [];
  for (let j = i; j < lines.length && lines[j]!.trim(); j++) block.push(lines[j]!.trim());
  if (block.length < 3 || block.length > 14 || block.some((l) => l.length > SIGNATURE_LINE_CHARS)) return false;
  return block.some((l) => STRONG_CONTACT.test(l)) && block.filter((l) => nameLike(l) || CONTACT.test(l)).length >= block.length - 1;
}

/** Cuts from the first paragraph (never the first) that is a notice, company details or a phone's footer. */
function beforeFirstNotice(lines: string[]): string[] {
  const paragraphs = lines.join("\n").split(/\n[ \t]*\n/);
  const first = paragraphs.findIndex((p, i) => i > 0 && isNotice(p));
  const kept = (first > 0 ? paragraphs.slice(0, first) : paragraphs).join("\n\n").split("\n");
  // A phone's footer right under the last line of message.
  while (kept.length > 1 && isMobileFooter(kept[kept.length - 1]!)) kept.pop();
  return kept;
}

function isMobileFooter(line: string): boolean {
  const t = line.trim();
  return t.length <= SIGNATURE_LINE_CHARS && MOBILE_DEVICE.test(t) && MOBILE_VERB.test(t) && !t.endsWith("?");
}

/** Mostly capital letters. */
function shouted(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.length > 0 && letters.filter((c) => c === c.toUpperCase() && c !== c.toLowerCase()).length / letters.length > 0.6;
}

function isNotice(paragraph: string): boolean {
  if (!paragraph.trim() || isMobileFooter(paragraph) || NOTICE_HEADING.test(paragraph.trim())) return true;
  if (paragraph.length <= 400 && (PRINT_NOTE.test(paragraph) || (ENVIRONMENT.test(paragraph) && PRINTING.test(paragraph)))) return true;
  if (FIRST_PERSON.test(paragraph) || (!shouted(paragraph) && FIRST_PERSON_I.test(paragraph))) return false;
  // A warning states; a customer who mentions bank details and "never" is usually asking ("… never arrived?").
  if (NEVER.test(paragraph) && BANK_OR_CREDENTIALS.test(paragraph) && !paragraph.includes("?")) return true;
  const plain = Object.values(NOTICE_CUES).filter((cue) => cue.test(paragraph)).length;
  if (plain >= 3 || (plain >= 1 && NOTICE_ONLY.test(paragraph))) return true;
  const lines = paragraph.split("\n").filter((l) => l.trim());
  const details = (paragraph.match(COMPANY_DETAILS) ?? []).length;
  // "Our VAT number is missing from the invoice" names one or two; a footer names several, or two without "our".
  // Written as prose ("… is registered at the commercial register of …, HRA 23456"), it names three or more.
  return details >= 3 || (details >= 2 && !FIRST_PERSON_PLURAL.test(paragraph) && lines.every((l) => l.length <= 2 * SIGNATURE_LINE_CHARS));
}
