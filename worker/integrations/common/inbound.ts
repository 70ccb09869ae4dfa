// Shared pieces of the help-desk webhook sources: signature checks over the
// raw body, HTML to text, the customer's own words of an e-mail (quoted
// history and signature cut, ./reply-text.ts), attachments as metadata, and
// the last step every mapper ends with (limits, fallbacks, and one more check
// against our own ticket schema).
import { z } from "zod";
import { hmac, timingSafeEqual, toBase64, toHex } from "../../crypto/hashing";
import { attachmentSchema, attachmentsOnlyText, MAX_ATTACHMENTS, type TicketAttachment } from "../../domain/attachments";
import { fieldErrors } from "../../domain/errors";
import { ticketSchema } from "../../domain/ticket-schema";
import type { Priority, Ticket } from "../../domain/types";
import type { MapResult, VerifyFailure } from "../types";
import { stripQuotedReply } from "./reply-text";

// ── limits (mirrors ticketSchema) ───────────────────────────────────────────

export const MAX_SUBJECT = 500;
export const MAX_BODY = 100_000;
const MAX_NAME = 200;
const MAX_TAGS = 50;
const MAX_TAG = 100;
const MAX_ID = 200;
/** Length of the subject made from the body when a vendor has none (chat channels). */
const SUBJECT_FROM_BODY = 80;

// ── signatures ──────────────────────────────────────────────────────────────

const encoder = new TextEncoder();

/** `prefix` (UTF-8) followed by the raw body bytes, without decoding the body. */
export function withPrefix(prefix: string, body: Uint8Array): Uint8Array {
  const head = encoder.encode(prefix);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** HMAC of `message` with `secret` as UTF-8 bytes, encoded as the vendor sends it. */
export async function signature(hash: "SHA-1" | "SHA-256", secret: string, message: Uint8Array, encoding: "hex" | "base64"): Promise<string> {
  const mac = await hmac(hash, secret, message);
  return encoding === "hex" ? toHex(mac) : toBase64(mac);
}

/** Constant-time comparison of an offered signature with the expected one. */
export function matches(offered: string, expected: string): VerifyFailure | null {
  return timingSafeEqual(offered, expected) ? null : "bad signature";
}

const _HEX_SHA1 = /^[0-9a-f]{40}$/;
const _HEX_SHA256 = /^[0-9a-f]{64}$/;
export const BASE64_SHA1 = /^[A-Za-z0-9+/]{27}=$/;
export const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * `X-Hub-Signature: sha1=<hex>` over the raw body (Intercom, Zammad): HMAC-SHA1
 * keyed with the secret's UTF-8 bytes, lowercase hex.
 */
export async function verifyHubSha1(headers: Headers, body: Uint8Array, secret: string): Promise<VerifyFailure | null> {
  const header = headers.get("x-hub-signature")?.trim();
  if (!header) return "missing signature";
  const match = /^sha1=([0-9a-fA-F]{40})$/.exec(header);
  if (!match) return "malformed signature";
  return matches(match[1]!.toLowerCase(), await signature("SHA-1", secret, body, "hex"));
}

// ── text ────────────────────────────────────────────────────────────────────

/** Elements that start a paragraph: a blank line before and after. */
const PARAGRAPH_TAGS = new Set(["blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "p", "pre"]);
/** Elements that sit on lines of their own (e-mail clients wrap every line in a <div>). */
const LINE_TAGS = new Set([
  "address",
  "article",
  "aside",
  "dd",
  "div",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "footer",
  "form",
  "header",
  "li",
  "main",
  "nav",
  "ol",
  "section",
  "table",
  "tbody",
  "tfoot",
  "thead",
  "tr",
  "ul",
]);
const CELL_TAGS = new Set(["td", "th"]);
/** Elements whose content is never text a reader sees. */
const SKIPPED_ELEMENTS = new Set(["script", "style", "head", "template", "noscript", "title"]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  laquo: "«",
  raquo: "»",
  bull: "•",
  middot: "·",
  copy: "©",
  reg: "®",
  trade: "™",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  deg: "°",
  times: "×",
  divide: "÷",
  shy: "",
};

/** Marks where a <blockquote> opens and closes while converting (private-use characters, removed from the input first). */
const QUOTE_OPEN_CODE = 0xe010;
const QUOTE_CLOSE_CODE = 0xe011;
const QUOTE_OPEN = String.fromCharCode(QUOTE_OPEN_CODE);
const QUOTE_CLOSE = String.fromCharCode(QUOTE_CLOSE_CODE);
const QUOTE_MARKS = /[\uE010\uE011]/g;

/** Decodes the entities a help desk's HTML commonly carries; unknown ones stay as written. */
function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === QUOTE_OPEN_CODE || code === QUOTE_CLOSE_CODE) return "\uFFFD";
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Trims lines, collapses runs of blanks, and keeps at most one empty line between paragraphs. */
function tidyText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((line) => line.replace(/[ \t\f\v]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** `text` ending in a line break (added only when the last line has content). */
function endLine(text: string): string {
  let i = text.length - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  return i < 0 || text[i] === "\n" ? text : `${text}\n`;
}

/** Prefixes each line inside a <blockquote> with ">" per level, as mail clients write a quoted reply as text. */
function quoteMarkedLines(text: string): string {
  let depth = 0;
  const lines = text.split("\n").map((line) => {
    let lead = 0;
    while (lead < line.length && (line[lead] === QUOTE_OPEN || line[lead] === QUOTE_CLOSE)) {
      depth = Math.max(0, depth + (line[lead] === QUOTE_OPEN ? 1 : -1));
      lead++;
    }
    const level = depth;
    for (let i = lead; i < line.length; i++) {
      if (line[i] === QUOTE_OPEN) depth++;
      else if (line[i] === QUOTE_CLOSE) depth = Math.max(0, depth - 1);
    }
    const content = line.replace(QUOTE_MARKS, "").trim();
    return content && level ? `${">".repeat(level)} ${content}` : content;
  });
  return lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * HTML to plain text. A single forward scan (no backtracking regexes, so time is
 * linear in the input): comments and script/style/head contents are dropped,
 * paragraphs are separated by a blank line, <br>, <div>, <li> and the like end
 * a line, table cells are separated by a space, every other tag disappears, and entities
 * are decoded last, so an encoded `&lt;script&gt;` ends up as literal text and
 * is never interpreted. With `quoteBlocks` (e-mail bodies), the lines of a
 * <blockquote> start with ">" per level, so a quoted earlier message reads as
 * one (and ./reply-text.ts can cut it).
 */
export function htmlToText(input: string, opts: { quoteBlocks?: boolean } = {}): string {
  const html = opts.quoteBlocks ? input.replace(QUOTE_MARKS, "") : input;
  const lower = html.toLowerCase();
  let out = "";
  let i = 0;
  // Position of the next ">" at or after the current "<", remembered so many
  // stray "<" before one ">" do not each rescan the same stretch.
  let nextGt = -1;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      if (end === -1) break;
      i = end + 3;
      continue;
    }
    if (nextGt <= lt) nextGt = html.indexOf(">", lt + 1);
    const gt = nextGt;
    if (gt === -1) {
      // No tag can close anywhere after this point: the rest is text.
      out += html.slice(lt);
      break;
    }
    const name = /^\/?\s*([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(lt + 1, Math.min(gt, lt + 40)));
    if (!name) {
      // `<!DOCTYPE …>`, `<?xml …>` and the like carry no text; a lone `<` followed
      // by something that is not a tag name is text.
      if (/^[!?]/.test(html.slice(lt + 1, lt + 2))) {
        i = gt + 1;
      } else {
        out += "<";
        i = lt + 1;
      }
      continue;
    }
    const tag = name[1]!.toLowerCase();
    const closing = html[lt + 1] === "/";
    if (!closing && SKIPPED_ELEMENTS.has(tag) && html[gt - 1] !== "/") {
      const end = lower.indexOf(`</${tag}`, gt + 1);
      if (end === -1) break;
      const endGt = html.indexOf(">", end);
      if (endGt === -1) break;
      i = endGt + 1;
      continue;
    }
    if (tag === "br") out += "\n";
    else if (opts.quoteBlocks && tag === "blockquote") out = `${endLine(out)}\n${closing ? QUOTE_CLOSE : QUOTE_OPEN}`;
    else if (PARAGRAPH_TAGS.has(tag)) out = `${endLine(out)}\n`;
    else if (LINE_TAGS.has(tag)) out = endLine(out);
    else if (CELL_TAGS.has(tag)) out += " ";
    i = gt + 1;
  }
  const text = tidyText(decodeEntities(out));
  return opts.quoteBlocks ? quoteMarkedLines(text) : text;
}

/**
 * The customer's message as a reader sees it: HTML turned into text when the
 * vendor sends HTML, and, as it may be an e-mail, the quoted earlier messages
 * and the signature cut (./reply-text.ts; a chat message has neither and
 * comes back as it was).
 */
export function bodyText(value: string | null | undefined, html: boolean): string {
  if (!value) return "";
  return stripQuotedReply(html ? htmlToText(value, { quoteBlocks: true }) : tidyText(value));
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/** The first `SUBJECT_FROM_BODY` characters of the body on one line. */
function subjectFromBody(body: string): string {
  return clip(body.replace(/\s+/g, " ").trim(), SUBJECT_FROM_BODY).trim();
}

// ── values ──────────────────────────────────────────────────────────────────

/** A vendor id: a non-empty string or a non-negative integer, always returned as a string. */
export const idSchema = z.union([z.string().trim().min(1).max(MAX_ID), z.number().int().nonnegative()]).transform((v) => String(v));

/** A unix timestamp in seconds (fractions allowed, as Front sends) or an ISO 8601 string. */
export const timeSchema = z.union([z.number().nonnegative(), z.string()]);

const emailSchema = z.email().max(320);
export const isEmail = (value: string) => emailSchema.safeParse(value).success;

/** ISO 8601 in UTC from unix seconds or an ISO string; undefined when it cannot be read. */
export function toIso(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  let ms: number;
  if (typeof value === "number") {
    // Front sends fractional seconds (1793624699.512): round, as 1793624699.512 * 1000 is not exact.
    ms = Math.round(value * 1000);
  } else {
    // A real date-time with an offset ("2024-05-01T10:22:33Z", Ruby's "2024-05-01 10:22:33 +0530",
    // "… UTC"); a local time without an offset is not guessed at.
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|[+-]\d{2}:?\d{2})$/i.exec(value.trim());
    if (!m) return undefined;
    let zone = m[3]!.toUpperCase();
    if (zone === "UTC") zone = "Z";
    else if (zone !== "Z" && !zone.includes(":")) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    ms = Date.parse(`${m[1]}T${m[2]!.replace(/(\.\d{3})\d+$/, "$1")}${zone}`);
  }
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Trimmed, de-duplicated, non-empty tags within our limits. */
function cleanTags(tags: Iterable<string | null | undefined> | null | undefined): string[] | undefined {
  if (!tags) return undefined;
  const seen = new Set<string>();
  for (const raw of tags) {
    const tag = raw?.trim();
    if (!tag || tag.length > MAX_TAG || seen.has(tag)) continue;
    seen.add(tag);
    if (seen.size === MAX_TAGS) break;
  }
  return seen.size ? [...seen] : undefined;
}

/** "First Last" from parts that may be missing. */
export function fullName(...parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(" ");
}

/** Lowercased letters, digits and dashes only, for a placeholder address. */
function slug(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "unknown"
  );
}

/**
 * Placeholder address for a requester the vendor identifies without an email
 * (Zendesk event payloads, chat visitors, SMS senders). `.invalid` is reserved
 * (RFC 2606), so nothing is ever delivered to it; the outbound connectors reply
 * through the vendor's conversation, not by email.
 */
function placeholderEmail(vendor: string, kind: string, id: string): string {
  return `${kind}-${slug(id)}@${vendor}.invalid`;
}

// ── the mapped ticket ───────────────────────────────────────────────────────

export type Field = { path: string; message: string };

export const invalid = (...fields: Field[]): MapResult => ({ kind: "invalid", fields });
export const ignored = (reason: string): MapResult => ({ kind: "ignored", reason });

/** Runs a zod schema; on failure returns the `invalid` result with the payload paths. */
export function parse<T extends z.ZodType>(schema: T, payload: unknown): { ok: true; data: z.output<T> } | { ok: false; result: MapResult } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, result: { kind: "invalid", fields: fieldErrors(parsed.error, "(root)") } };
}

export interface Draft {
  /** Dedupe key: the vendor ticket id, or `<ticket id>:msg:<message id>`. */
  id: string;
  conversationId: string;
  subject?: string | null;
  /** Plain text (already stripped of HTML). */
  body: string;
  /** The requester's address as the vendor sent it, and where it sits in the payload. */
  email?: string | null;
  emailPath: string;
  /** Used when the vendor has no address for the requester: [vendor, kind, id]. */
  placeholder?: [vendor: string, kind: string, id: string];
  name?: string | null;
  priority?: Priority;
  tags?: string[];
  createdAt?: string | number | null;
  refs?: Record<string, string | null | undefined>;
  /** Files attached to the message, as the vendor describes them (metadata only). */
  attachments?: AttachmentDraft[];
}

/** An attachment as a vendor describes it; `toTicket` keeps what fits our schema. */
interface AttachmentDraft {
  name?: string | null;
  contentType?: string | null;
  /** Bytes (Zammad sends a string). */
  size?: number | string | null;
  url?: string | null;
  inline?: boolean | null;
}

/** Text used when a customer message carries neither text nor an attachment we were told of. */
const NO_TEXT = "(no text content: the message may contain attachments only)";

/** The last path segment of a link, as a name for an attachment the vendor does not name (Chatwoot). */
function nameFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).at(-1);
    return last ? decodeURIComponent(last) : null;
  } catch {
    return null;
  }
}

/**
 * The attachments that fit our schema, at most MAX_ATTACHMENTS (and how many
 * more there were): a field that does not fit (a content type that is not
 * one, a link that is not http(s)) is dropped, never the ticket.
 */
function cleanAttachments(drafts: readonly AttachmentDraft[] | null | undefined): { list: TicketAttachment[]; omitted: number } {
  const { shape } = attachmentSchema;
  const list: TicketAttachment[] = [];
  let omitted = 0;
  for (const d of drafts ?? []) {
    const name = shape.name.safeParse(d.name?.trim() || nameFromUrl(d.url) || "attachment").data;
    if (!name) continue;
    if (list.length === MAX_ATTACHMENTS) {
      omitted++;
      continue;
    }
    const size = typeof d.size === "string" && /^\d{1,15}$/.test(d.size.trim()) ? Number(d.size) : d.size;
    list.push({
      name,
      content_type: shape.content_type.safeParse(d.contentType?.split(";")[0]?.trim() || null).data ?? null,
      size: shape.size.safeParse(size).data ?? null,
      url: shape.url.safeParse(d.url?.trim() || null).data ?? null,
      ...(d.inline ? { inline: true } : {}),
    });
  }
  return { list, omitted };
}

/**
 * Turns a draft into the `ticket` result: clips the body and subject to our
 * limits, fills the subject from the body, the name from the address, and runs
 * our ticket schema as a last check, so a mapper can never hand intake a ticket
 * the generic endpoint would have refused.
 */
export function toTicket(d: Draft): MapResult {
  let email = d.email?.trim() || "";
  if (email) {
    if (!isEmail(email)) return invalid({ path: d.emailPath, message: "not a valid email address" });
  } else if (d.placeholder) {
    email = placeholderEmail(...d.placeholder);
  } else {
    return invalid({ path: d.emailPath, message: "the requester's email address is missing" });
  }
  email = email.toLowerCase();
  // A stand-in (the vendor sent an id, no address): the triage Workflow looks the person up by it.
  const requesterRef = !d.email?.trim() && d.placeholder ? { kind: d.placeholder[1], id: d.placeholder[2] } : undefined;

  const { list: attachments, omitted } = cleanAttachments(d.attachments);
  const body = clip(d.body.trim(), MAX_BODY) || (attachments.length ? attachmentsOnlyText(attachments, omitted) : NO_TEXT);
  const subject = clip((d.subject ?? "").replace(/\s+/g, " ").trim(), MAX_SUBJECT).trim() || subjectFromBody(body);
  const name = clip((d.name ?? "").replace(/\s+/g, " ").trim(), MAX_NAME).trim() || clip(email.split("@")[0] || email, MAX_NAME);

  const ticket: Ticket = { id: d.id, subject, body, requester: { email, name } };
  if (d.priority) ticket.priority = d.priority;
  const tags = cleanTags(d.tags);
  if (tags) ticket.tags = tags;
  const createdAt = toIso(d.createdAt);
  if (createdAt) ticket.created_at = createdAt;
  if (attachments.length) ticket.attachments = attachments;

  const checked = ticketSchema.safeParse(ticket);
  if (!checked.success) {
    return {
      kind: "invalid",
      fields: fieldErrors(checked.error, "(root)").map((f) => ({ path: `(mapped ticket).${f.path}`, message: f.message })),
    };
  }

  const refs: Record<string, string> = {};
  for (const [key, value] of Object.entries(d.refs ?? {})) if (value) refs[key] = value;
  return {
    kind: "ticket",
    value: {
      ticket: checked.data,
      conversationId: d.conversationId,
      ...(Object.keys(refs).length ? { refs } : {}),
      ...(requesterRef ? { requesterRef } : {}),
    },
  };
}

/** Wraps a mapper so an unexpected exception becomes an `invalid` result instead of a 500. */
export function safeMap(fn: (payload: unknown, headers: Headers) => MapResult) {
  return (payload: unknown, headers: Headers): MapResult => {
    try {
      return fn(payload, headers);
    } catch (err) {
      return invalid({ path: "(root)", message: `could not map the payload: ${err instanceof Error ? err.message : String(err)}` });
    }
  };
}
