// Knowledge as text: HTML and Markdown become plain text for the index (and
// for quoting in a draft), and a question becomes an FTS5 query. The same
// functions run in the Worker, in the seed script and in `npm run eval`, so
// what is indexed and what is searched are read the same way everywhere.
import { convert } from "html-to-text";
import { marked } from "marked";
import { conceptsIn } from "../agent/models/classifier/features";
import { TOPICS } from "./topics";

/** HTML or Markdown to plain text: paragraphs, numbered steps and bullets kept; scripts, styles and images dropped; links keep their text. */
export function toPlainText(body: string, format: "html" | "markdown" | "text" = guessFormat(body)): string {
  if (format === "text") return tidy(body);
  const html = format === "markdown" ? (marked.parse(body, { async: false, gfm: true }) as string) : body;
  return tidy(
    convert(html, {
      wordwrap: false,
      selectors: [
        { selector: "a", options: { ignoreHref: true } },
        { selector: "img", format: "skip" },
        { selector: "script", format: "skip" },
        { selector: "style", format: "skip" },
        { selector: "h1", options: { uppercase: false } },
        { selector: "h2", options: { uppercase: false } },
        { selector: "h3", options: { uppercase: false } },
        { selector: "h4", options: { uppercase: false } },
        { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
      ],
    }),
  );
}

function guessFormat(body: string): "html" | "markdown" {
  return /<\/?(p|div|br|h[1-6]|ul|ol|li|a|strong|em|span|table)\b[^>]*>/i.test(body) ? "html" : "markdown";
}

function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Lower case, accents folded: "Rückerstattung" and "ruckerstattung" are one word. */
function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "");
}

// Words that say nothing about the topic, in the supported languages (folded). The second
// line of English, German, Spanish and French (pronouns, auxiliaries, "other", "every") came
// later: a question shares them with every article in its language, whatever the topic.
const STOPWORDS = new Set(
  `a an and are as at be but by can could do does for from have hello hi how i if in into is it its just me my no not of on or our please so that the their them there this to up us was we what when where which why will with would you your thanks thank regards
  about after again all also any been being both did does done each even get gets got had has having here how more most much need needs now only other others out same should some still than then these they those too very were who whose yet
  aber alle als am an auch auf aus bei bin bis das dass dem den der des die doch du ein eine einen einer es fur habe haben hallo hat ich ihr ihre im in ist ja kann konnen mein meine mich mir mit nach nicht noch nur oder sehr sie sind so und uns unser unsere vom von vor war was wenn wie wir wird zu zum zur danke gruße grusse bitte
  also andere anderen anderer anderes bekommen bekommt dann darf das dein deine denn deren diese diesem diesen dieser dieses dort durfen einem eines etwa etwas euch euer eure gibt hatte hatten hier ihm ihn ihnen ihrem ihren immer jetzt kein keine keinen keiner man mehr mochte mochten muss mussen schon sein seine seit soll sollen sollte statt uber unserem unseren unserer viel weil welche welcher welches werde werden wieder will wollen wurde wurden
  al algo como con de del el en es esta este estoy gracias hola la las lo los me mi mis muy no nos para pero por que se sin su sus tengo un una y ya saludos favor
  algun alguna ahora aqui asi cada cual cuando desde donde esa esas ese eso esos estas estos este fue han hay hemos hace hacer hasta les mas menos necesito necesita nuestra nuestras nuestro nuestros otra otras otro otros puede pueden puedo podemos quiero queremos ser sobre solo son tambien tenemos tiene tienen toda todas todo todos tus
  au aux avec bonjour ce ces cette dans de des du elle en est et il je la le les leur ma mais me merci mes mon ne nous on ou par pas plus pour qu que qui sa se ses son sur ta te un une vous votre vos cordialement
  ai aussi avez avoir avons bien ceci cela comme comment deja dois doit encore etre fait faire ici leurs notre nos ont peut peuvent peux pourquoi pouvez pouvons quand quel quelle quelles quels sommes sont suis tous tout toute toutes tres
  ao aos as com da das de do dos e em esta eu isso mas me meu minha na nas no nos o obrigado obrigada ola os para pela pelo por que se sem seu sua um uma voce
  al alla che ci come con da dal del della di e gli ha ho il in io la le lo mi mio mia ne non per piu questo sono su un una grazie ciao salve
  aan al als bij dat de den der die dit een en er het hij hoe ik in is je jullie maar me met mijn na niet nog of om ons onze op te van voor was wat we wij zijn dank groeten hallo
  a ale bo by cze czy dla do i ich jak jest jestem juz mam mi mnie na nie o od po prosze sie tak to w we z za ze dzien dobry dziekuje`.split(/\s+/),
);

/** A question's search terms: folded words without stop words or numbers (except three-digit ones: status and error codes such as 409), each reduced to a five-letter stem (inflections share it). Distinct, in order. */
export function searchTerms(text: string, max = 32): string[] {
  const seen = new Set<string>();
  for (const word of fold(text).match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 3 || STOPWORDS.has(word) || (/^\d+$/.test(word) && !/^[1-5]\d\d$/.test(word))) continue;
    seen.add(stem(word));
    if (seen.size >= max) break;
  }
  return [...seen];
}

/** Five letters stand for a word's inflected forms ("charged", "charges" → "charg"); shorter words match whole. */
function stem(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

/** Whether a term (from searchTerms) occurs in a text, the way the index matches it. */
export function termsIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const word of fold(text).match(/[\p{L}\p{N}]+/gu) ?? []) {
    found.add(word);
    if (word.length > 5) found.add(word.slice(0, 5));
  }
  return found;
}

// The triage lexicon's topic concepts (worker/agent/models/classifier/lexicon.ts): each lists
// the words for one topic in eight languages, so "remboursement", "Erstattung" and "refund"
// all name `refund`. Tone and urgency concepts are left out: they say nothing about the topic.
// So is `api`: it also fires on "json", "token" and "http", which tied a password reset link
// or a JSON export to the API articles; topics.ts has a narrower `api` (same token).
const TOPIC_CONCEPTS = new Set([
  "outage",
  "maintenance",
  "slow",
  "security",
  "compliance",
  "privacy_request",
  "deletion",
  "data_export",
  "billing_charge",
  "payment",
  "invoice",
  "pricing",
  "renewal",
  "refund",
  "account",
  "login",
  "password",
  "two_factor",
  "sso",
  "account_locked",
  "bug",
  "crash",
  "wrong_result",
  "rate_limit",
  "integration",
  "cancel",
  "feature",
  "setup",
  "data_loss",
  "mobile_app",
  "email_delivery",
  "seats_license",
  "trial",
]);

// The help-desk topics (topics.ts) add what the triage concepts are too coarse for: a chat
// widget, the help center, macros, exports against imports, a VAT ID. A stem matches a word
// starting with it; "word$" and stems of three letters or fewer only the whole word; "a b" is
// a phrase, each part within three words of the one before.
interface TopicPart {
  text: string;
  whole: boolean;
}
interface TopicRule {
  topic: string;
  rest: TopicPart[];
}

function topicPart(raw: string): TopicPart {
  const text = raw.replace(/\$$/, "");
  return { text, whole: raw.endsWith("$") || text.length <= 3 };
}

/** First part of a stem → the rules it starts, by whole word and by prefix. */
const TOPIC_WHOLE = new Map<string, TopicRule[]>();
const TOPIC_PREFIX = new Map<string, TopicRule[]>();
let longestPrefix = 0;
for (const [topic, stems] of Object.entries(TOPICS)) {
  for (const stem of stems) {
    const [first, ...rest] = stem.split(" ").map(topicPart);
    if (!first) continue;
    const index = first.whole ? TOPIC_WHOLE : TOPIC_PREFIX;
    index.set(first.text, [...(index.get(first.text) ?? []), { topic, rest }]);
    if (!first.whole) longestPrefix = Math.max(longestPrefix, first.text.length);
  }
}

const PHRASE_GAP = 3;

function partMatches(part: TopicPart, word: string): boolean {
  return part.whole ? word === part.text : word.startsWith(part.text);
}

/** The topics (topics.ts) a text mentions, in any of its languages. */
function topicsIn(text: string): Set<string> {
  const found = new Set<string>();
  const words = fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  words.forEach((word, i) => {
    const rules = [...(TOPIC_WHOLE.get(word) ?? [])];
    for (let n = Math.min(word.length, longestPrefix); n >= 4; n--) rules.push(...(TOPIC_PREFIX.get(word.slice(0, n)) ?? []));
    for (const { topic, rest } of rules) {
      if (found.has(topic)) continue;
      let at = i;
      for (const part of rest) {
        let next = -1;
        for (let j = at + 1; j <= Math.min(at + PHRASE_GAP, words.length - 1); j++) {
          if (partMatches(part, words[j]!)) {
            next = j;
            break;
          }
        }
        at = next;
        if (at < 0) break;
      }
      if (at >= 0) found.add(topic);
    }
  });
  return found;
}

/**
 * A text's topics as index tokens ("refund" → "ktrefund"): the triage concepts and the
 * help-desk topics, letters and digits only, so FTS5 keeps each whole. A topic named like a
 * concept shares its token.
 */
export function conceptTerms(text: string): string[] {
  const concepts = [...conceptsIn(text)].filter((c) => TOPIC_CONCEPTS.has(c));
  return [...new Set([...concepts, ...topicsIn(text)].map((c) => `kt${c.replace(/_/g, "")}`))];
}

/**
 * The FTS5 query: the account's scope token AND any of the terms (a five-letter
 * stem as a prefix, a short word whole) or topics (the `concepts` column, which
 * carries a question across languages). Terms are letters and digits only, so
 * quoting them is enough to keep FTS5 syntax out of customer text.
 */
export function matchExpression(scope: string, terms: readonly string[], concepts: readonly string[] = []): string | null {
  if (!terms.length && !concepts.length) return null;
  const any = [...terms.map((t) => (t.length === 5 ? `"${t}"*` : `"${t}"`)), ...concepts.map((c) => `concepts:"${c}"`)].join(" OR ");
  return `scope:${scope} AND (${any})`;
}

/**
 * The account as one FTS token: its rows are found through the index itself
 * (`scope:<token> AND …`) rather than filtered afterwards, so one account's
 * search never reads another's matches. Letters and digits only (FTS5 splits on anything else).
 */
export function scopeToken(accountId: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < accountId.length; i++) {
    const c = accountId.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  }
  return `acct${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`;
}
