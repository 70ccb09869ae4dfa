// Our documented ticket format (docs/api.md). Help-desk specific payloads are
// mapped onto the same `Ticket` shape.
import { z } from "zod";
import { attachmentSchema, MAX_ATTACHMENTS } from "./attachments";
import { PRIORITIES } from "./enums";

export const ticketSchema = z.object({
  id: z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]).transform(String),
  subject: z.string().trim().min(1).max(500),
  body: z.string().min(1).max(100_000),
  requester: z.object({
    email: z
      .email()
      .max(320)
      .transform((e) => e.toLowerCase()),
    name: z.string().trim().min(1).max(200),
  }),
  priority: z.enum(PRIORITIES).optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  /** Files attached to the message, as metadata only (never their content). */
  attachments: z.array(attachmentSchema).max(MAX_ATTACHMENTS).optional(),
});

export const genericPayloadSchema = z.object({ ticket: ticketSchema });
