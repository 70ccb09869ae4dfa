// Our own documented format (docs/api.md), signed the Standard Webhooks way.

import { fieldErrors } from "../../domain/errors";
import { genericPayloadSchema } from "../../domain/ticket-schema";
import type { WebhookSource } from "../types";
import { readHeaders, verify } from "./standard-webhooks";

export const generic: WebhookSource = {
  id: "generic",
  name: "Generic (Standard Webhooks)",
  deliveryIdHeader: "webhook-id",
  verify: (d, secret) => verify(secret, readHeaders(d.headers), d.body, d.now),
  map(payload) {
    const parsed = genericPayloadSchema.safeParse(payload);
    if (!parsed.success) return { kind: "invalid", fields: fieldErrors(parsed.error, "(root)") };
    const ticket = parsed.data.ticket;
    return { kind: "ticket", value: { ticket, conversationId: ticket.id } };
  },
};
