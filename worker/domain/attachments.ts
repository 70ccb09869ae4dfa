// Files a customer attached to a message (documents, screenshots, inline
// images), as metadata only: what they are called, their type and size, and
// where the help desk keeps them. Their content is never fetched, stored or
// shown to a model. Browser-safe: the dashboard formats them with the same
// helpers the mapping uses.
import { z } from "zod";

/** At most this many are kept per ticket (a mail with more lists the first ones). */
export const MAX_ATTACHMENTS = 20;
/** A longer file name is cut (with "…"). */
const MAX_ATTACHMENT_NAME = 200;
const MAX_CONTENT_TYPE = 100;
const MAX_URL = 2_000;

/** Cuts `text` to `max` characters, ending in "…" when cut (a surrogate pair is never split). */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return `${head}…`;
}

/** Only web links: a link is shown to a reviewer as an anchor, so no `javascript:` or `data:`. */
const webUrl = z
  .string()
  .trim()
  .max(MAX_URL)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

/** One attachment as our ticket format has it (docs/api.md). */
export const attachmentSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(MAX_ATTACHMENT_NAME * 5)
    .transform((v) => cut(v, MAX_ATTACHMENT_NAME)),
  content_type: z
    .string()
    .trim()
    .max(MAX_CONTENT_TYPE)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a media type such as image/png")
    .nullish()
    .transform((v) => v?.toLowerCase() ?? null),
  /** Bytes. */
  size: z
    .number()
    .int()
    .nonnegative()
    .nullish()
    .transform((v) => v ?? null),
  /** Where the help desk keeps it (usually needs a sign-in there). */
  url: webUrl.nullish().transform((v) => v ?? null),
  /** Shown inside the message (an inline image) rather than attached to it. */
  inline: z.boolean().optional(),
});

export type TicketAttachment = z.output<typeof attachmentSchema>;

/** "245 KB", "1.2 MB", "812 B". */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.round(kb)} KB`;
  const mb = kb / 1024;
  return mb < 10 ? `${mb.toFixed(1)} MB` : `${Math.round(mb)} MB`;
}

/** "screenshot.png, image/png, 245 KB" (what is known of it). */
export function describeAttachment(a: Pick<TicketAttachment, "name" | "content_type" | "size">): string {
  return [a.name, a.content_type, a.size != null ? formatBytes(a.size) : null].filter(Boolean).join(", ");
}

/**
 * The body of a message that has no text, only attachments:
 * "(no text; 1 attachment: screenshot.png, image/png, 245 KB)".
 */
export function attachmentsOnlyText(attachments: readonly TicketAttachment[], omitted = 0): string {
  const count = attachments.length + omitted;
  const listed = attachments.slice(0, 5).map(describeAttachment).join("; ");
  const more = count > 5 ? `; and ${count - 5} more` : "";
  return `(no text; ${count} attachment${count === 1 ? "" : "s"}: ${listed}${more})`;
}
