// Freshdesk automation webhooks ("Trigger webhook" action of an automation rule
// that runs on ticket creation; support.freshdesk.com "Using webhooks in
// automation rules").
//
// Freshdesk does not sign webhooks. The admin sets the action to send either a
// custom header `X-Support-Triage-Token: <secret>` or HTTP Basic authentication
// ("Requires authentication") whose password is the secret (any username). We
// compare in constant time; with neither present the delivery is "missing
// signature". There is no timestamp and no delivery id.
//
// The body is the JSON the admin pastes into the action (Encoding: JSON,
// Content: Advanced): FRESHDESK_TEMPLATE below. Freshdesk fills the Liquid
// placeholders as text: {{ticket.id}} is the ticket's display id,
// {{ticket.priority}} the priority name (Low, Medium, High, Urgent),
// {{ticket.tags}} the tag names joined with ", ", {{ticket.description_text}}
// the description as plain text, {{ticket.created_on}} the creation time
// (Ruby's "2026-11-02 09:14:05 +0100" form) and {{ticket.source}} the channel
// name ("Email", "Portal", "Outbound Email", …) — see Helpdesk::TicketDrop.
// Tickets an agent started as an outbound email are ignored.
//
// Leniency, for Freshdesk only: Freshdesk pastes placeholder values into the
// JSON as they are, so a description with a line break or a tab arrives as a
// raw control character inside a JSON string, which JSON.parse refuses. Such
// characters inside strings are escaped and the body parsed again (the token
// is checked on the raw request first, unchanged). A {{ticket.created_on}}
// without a UTC offset ("2026-11-30 14:05:00", "Mon, 30 Nov 2026 at 2:05 PM")
// is read as UTC; one without a year is dropped.
import { z } from "zod";
import { timingSafeEqual } from "../../crypto/hashing";
import type { Priority } from "../../domain/types";
import { bodyText, ignored, invalid, parse, safeMap, toIso, toTicket } from "../common/inbound";
import type { VerifyFailure, WebhookSource } from "../types";

export const FRESHDESK_TOKEN_HEADER = "X-Support-Triage-Token";

/** The JSON body to paste into the automation's "Trigger webhook" action. */
export const FRESHDESK_TEMPLATE =
  '{"freshdesk_webhook":{"ticket_id":"{{ticket.id}}","ticket_subject":"{{ticket.subject}}",' +
  '"ticket_description":"{{ticket.description_text}}","ticket_priority":"{{ticket.priority}}",' +
  '"ticket_tags":"{{ticket.tags}}","requester_email":"{{ticket.requester.email}}",' +
  '"requester_name":"{{ticket.requester.name}}","ticket_created_at":"{{ticket.created_on}}",' +
  '"ticket_source":"{{ticket.source}}"}}';

/** Tickets an agent opened by writing to a customer: nothing for the customer side to triage. */
const AGENT_SOURCES = new Set(["outbound email", "outbound_email", "10"]);

function basicPassword(authorization: string): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (!match) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  return colon === -1 ? null : decoded.slice(colon + 1);
}

async function verify(headers: Headers, secret: string): Promise<VerifyFailure | null> {
  const token = headers.get(FRESHDESK_TOKEN_HEADER);
  const authorization = headers.get("authorization")?.trim();
  if (!token && !authorization) return "missing signature";
  const offered: string[] = [];
  if (token) offered.push(token.trim());
  if (authorization) {
    const password = basicPassword(authorization);
    if (password === null) {
      if (!token) return "malformed signature";
    } else {
      offered.push(password);
    }
  }
  // Check every credential offered (no early exit) so timing does not tell which one matched.
  let ok = false;
  for (const candidate of offered) ok = timingSafeEqual(candidate, secret) || ok;
  return ok ? null : "bad signature";
}

/** JSON.parse, and if that fails, again with raw control characters inside strings escaped. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const escaped = escapeControlsInStrings(text);
    if (escaped === text) throw err;
    try {
      return JSON.parse(escaped);
    } catch {
      throw err;
    }
  }
}

const SHORT_ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** Escapes U+0000–U+001F where they stand inside a JSON string (outside, whitespace is allowed and kept). */
function escapeControlsInStrings(text: string): string {
  let out = "";
  let inString = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      else if (ch < " ") {
        out += text.slice(from, i) + (SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
        from = i + 1;
      }
    } else if (ch === '"') inString = true;
  }
  return out + text.slice(from);
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * {{ticket.created_on}} as ISO 8601. With an offset as Ruby writes it; without
 * one ("2026-11-30 14:05:00", or the display form "Mon, 30 Nov 2026 at 2:05 PM",
 * also "Nov 30, 2026 2:05 PM") read as UTC, since Freshdesk renders the
 * helpdesk's local time and the payload does not say which zone that is.
 */
function freshdeskTime(value: string): string | undefined {
  const v = value.trim();
  const withOffset = toIso(v);
  if (withOffset) return withOffset;
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(v);
  if (iso) return toIso(`${iso[1]}T${iso[2]}Z`);
  const m =
    /^(?:[a-z]{3,9}\.?,?\s+)?(?:(\d{1,2})\s+([a-z]{3,9})\.?|([a-z]{3,9})\.?\s+(\d{1,2})),?\s+(\d{4}),?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?(?:\s*(?:utc|gmt|z))?$/i.exec(
      v,
    );
  if (!m) return undefined;
  const month = MONTHS.indexOf((m[2] ?? m[3])!.slice(0, 3).toLowerCase());
  const day = Number(m[1] ?? m[4]);
  let hour = Number(m[6]);
  const meridiem = m[9]?.[0]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  }
  const year = Number(m[5]);
  const minute = Number(m[7]);
  const second = Number(m[8] ?? 0);
  if (month < 0 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month, day, hour, minute, second));
  // Date.UTC rolls 31 Nov over to 1 Dec: such a date is not a date.
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  return date.toISOString();
}

/** A placeholder Freshdesk did not fill in (the automation's JSON has a typo or an unknown field). */
const UNFILLED = /^\s*\{\{[^}]*\}\}\s*$/;
const filled = (what: string) => z.string().refine((v) => !UNFILLED.test(v), `the ${what} placeholder was not filled in; check the automation's JSON`);

const payloadSchema = z.looseObject({
  freshdesk_webhook: z.looseObject({
    ticket_id: z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
      const id = String(value).trim();
      if (UNFILLED.test(id)) ctx.addIssue({ code: "custom", message: "the {{ticket.id}} placeholder was not filled in; check the automation's JSON" });
      else if (!/^\d+$/.test(id)) ctx.addIssue({ code: "custom", message: "expected the numeric ticket id" });
      return id;
    }),
    ticket_subject: filled("{{ticket.subject}}").nullish(),
    ticket_description: filled("{{ticket.description_text}}"),
    ticket_priority: z.union([z.number().int(), z.string()]).nullish(),
    ticket_tags: z.union([z.string(), z.array(z.string())]).nullish(),
    requester_email: filled("{{ticket.requester.email}}"),
    requester_name: z.string().nullish(),
    ticket_created_at: z.string().nullish(),
    ticket_source: z.union([z.string(), z.number()]).nullish(),
  }),
});

/** Freshdesk priorities: 1 Low, 2 Medium, 3 High, 4 Urgent (by name or number). */
const PRIORITIES: Record<string, Priority> = {
  low: "low",
  "1": "low",
  medium: "normal",
  "2": "normal",
  high: "high",
  "3": "high",
  urgent: "urgent",
  "4": "urgent",
};

function mapPayload(payload: unknown) {
  const p = parse(payloadSchema, payload);
  if (!p.ok) return p.result;
  const f = p.data.freshdesk_webhook;
  if (
    AGENT_SOURCES.has(
      String(f.ticket_source ?? "")
        .trim()
        .toLowerCase(),
    )
  )
    return ignored("outbound email started by an agent");
  if (!f.requester_email.trim()) return invalid({ path: "freshdesk_webhook.requester_email", message: "the requester's email address is missing" });
  const tags = typeof f.ticket_tags === "string" ? f.ticket_tags.split(",") : (f.ticket_tags ?? undefined);
  const name = f.requester_name && !UNFILLED.test(f.requester_name) ? f.requester_name : null;
  const description = bodyText(f.ticket_description, false);
  if (!description && !f.ticket_subject?.trim()) {
    return invalid({ path: "freshdesk_webhook.ticket_description", message: "the ticket has neither a description nor a subject" });
  }
  return toTicket({
    id: f.ticket_id,
    conversationId: f.ticket_id,
    subject: f.ticket_subject,
    body: description || bodyText(f.ticket_subject, false),
    email: f.requester_email,
    emailPath: "freshdesk_webhook.requester_email",
    name,
    priority:
      PRIORITIES[
        String(f.ticket_priority ?? "")
          .trim()
          .toLowerCase()
      ],
    tags: tags?.filter((t) => !UNFILLED.test(t)),
    createdAt: f.ticket_created_at && !UNFILLED.test(f.ticket_created_at) ? freshdeskTime(f.ticket_created_at) : undefined,
  });
}

export const freshdesk: WebhookSource = {
  id: "freshdesk",
  name: "Freshdesk",
  deliveryIdHeader: null,
  verify: (d, secret) => verify(d.headers, secret),
  map: safeMap(mapPayload),
  parseJson,
};
