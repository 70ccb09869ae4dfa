// What each help desk's mapping makes of a real-looking e-mail: the customer's
// own words (quoted history and signature cut), the files as metadata only
// (name, type, size, link; an image-only message says so instead of "no
// text"), and a stand-in requester marked for the Workflow's lookup.
// Fixtures: test/fixtures/webhooks/<vendor>/ (provenance in each README.md).
import { describe, expect, it } from "vitest";
import chatwootPhoto from "../../test/fixtures/webhooks/chatwoot/message-created-whatsapp-photo.json";
import frontQuotedReply from "../../test/fixtures/webhooks/front/inbound-html-quoted-reply.json";
import helpscoutWithAttachment from "../../test/fixtures/webhooks/helpscout/convo-customer-reply-with-attachment.json";
import intercomLead from "../../test/fixtures/webhooks/intercom/conversation-user-created-lead-without-address.json";
import intercomScreenshot from "../../test/fixtures/webhooks/intercom/conversation-user-replied-screenshot-only.json";
import zammadImageOnly from "../../test/fixtures/webhooks/zammad/article-image-only.json";
import zammadGerman from "../../test/fixtures/webhooks/zammad/article-reply-german-quoted.json";
import zendeskFrench from "../../test/fixtures/webhooks/zendesk/ticket-created-email-reply-quoted.json";
import { ticketSchema } from "../domain/ticket-schema";
import { SOURCES } from "./registry";
import type { MapResult, SourceId } from "./types";

// biome-ignore lint/suspicious/noExplicitAny: tests reach into vendor payloads freely to change one field at a time
const copy = <T>(value: T): any => structuredClone(value);
const map = (source: SourceId, payload: unknown, headers: Record<string, string> = {}) => SOURCES[source].map(payload, new Headers(headers));
const ticketOf = (result: MapResult) => {
  if (result.kind !== "ticket") throw new Error(`expected a ticket, got ${JSON.stringify(result)}`);
  return result.value;
};

describe("e-mail bodies: the customer's own words", () => {
  it("Front, HTML only: Gmail's nested quotes and the '-- ' signature are cut", () => {
    const { ticket } = ticketOf(map("front", frontQuotedReply));
    expect(ticket.body).toBe("Hi Acme team,\n\nThe refund has not arrived yet. I attached the bank statement showing both charges of $49.00.");
    expect(ticket.body).not.toMatch(/wrote:|refunded one of the two charges|Head of Purchasing/);
  });

  it("Zendesk, French: 'Cordialement' and 'Le … a écrit :' are cut", () => {
    const { ticket } = ticketOf(map("zendesk", zendeskFrench));
    expect(ticket.body).toBe("Bonjour,\n\nJe n'arrive toujours pas à exporter le rapport d'octobre : le bouton reste grisé.");
  });

  it("Zammad, German: 'Viele Grüße', 'Von meinem iPhone gesendet' and 'Am … schrieb …:' are cut", () => {
    const { ticket } = ticketOf(map("zammad", zammadGerman));
    expect(ticket.body).toBe("Hallo,\n\nder Export-Knopf ist nach dem Update immer noch grau. Das Protokoll hängt an.");
  });

  it("Help Scout, Spanish: 'Saludos', 'Enviado desde mi iPhone' and 'El … escribió:' with its blockquote are cut", () => {
    const { ticket } = ticketOf(map("helpscout", helpscoutWithAttachment, { "x-helpscout-event": "convo.customer.reply.created" }));
    expect(ticket.body).toBe("Hola,\n\nadjunto la captura del error al restablecer la contraseña: el enlace dice que ha caducado.");
  });
});

describe("attachments: metadata the reviewer and the model see, never content", () => {
  it("Zammad: an image-only article names its file instead of saying there is no text", () => {
    const { ticket } = ticketOf(map("zammad", zammadImageOnly));
    expect(ticket.body).toBe("(no text; 1 attachment: screenshot.png, image/png, 245 KB)");
    expect(ticket.attachments).toEqual([
      { name: "screenshot.png", content_type: "image/png", size: 250880, url: "https://zammad.example.com/api/v1/ticket_attachment/82/112/301", inline: true },
    ]);
  });

  it("Zammad: a text/plain log next to a text body", () => {
    const { ticket } = ticketOf(map("zammad", zammadGerman));
    expect(ticket.attachments).toEqual([
      { name: "export-log.txt", content_type: "text/plain", size: 3311, url: "https://zammad.example.com/api/v1/ticket_attachment/82/115/305" },
    ]);
  });

  it("Front: a PDF and an inline logo, with Front's download links", () => {
    const { ticket } = ticketOf(map("front", frontQuotedReply));
    expect(ticket.attachments).toEqual([
      { name: "bank-statement-november.pdf", content_type: "application/pdf", size: 184320, url: "https://acme.api.frontapp.com/download/fil_3q8a7mby" },
      { name: "logo.png", content_type: "image/png", size: 4405, url: "https://acme.api.frontapp.com/download/fil_3q8a7mbz", inline: true },
    ]);
  });

  it("Help Scout: the thread's embedded attachment, linked to the web app", () => {
    const { ticket } = ticketOf(map("helpscout", helpscoutWithAttachment, { "x-helpscout-event": "convo.customer.reply.created" }));
    expect(ticket.attachments).toEqual([
      { name: "captura-error.png", content_type: "image/png", size: 77312, url: "https://secure.helpscout.net/file/98114/captura-error.png" },
    ]);
  });

  it("Intercom: a screenshot-only reply is the customer's message, named by its file", () => {
    const { ticket } = ticketOf(map("intercom", intercomScreenshot));
    expect(ticket.id).toBe("215469786403402:msg:27541180");
    expect(ticket.body).toBe("(no text; 1 attachment: Screenshot 2026-11-03 at 14.24.11.png, image/png, 245 KB)");
    expect(ticket.attachments?.[0]?.url).toBe("https://downloads.intercomcdn.com/i/o/1183400577/9f8e7d6c5b4a/Screenshot+2026-11-03+at+14.24.11.png");
  });

  it("Intercom: the opening message's PDF", () => {
    const { ticket } = ticketOf(map("intercom", intercomLead));
    expect(ticket.attachments).toEqual([
      {
        name: "invoice-2026-10.pdf",
        content_type: "application/pdf",
        size: 91422,
        url: "https://downloads.intercomcdn.com/i/o/1183400012/ab12cd34ef56/invoice-2026-10.pdf",
      },
    ]);
  });

  it("Chatwoot: a photo without text, named from its link, typed from its extension", () => {
    const { ticket } = ticketOf(map("chatwoot", chatwootPhoto));
    expect(ticket.body).toBe("(no text; 1 attachment: IMG_2041.jpeg, image/jpeg, 311 KB)");
    expect(ticket.attachments?.[0]).toMatchObject({ name: "IMG_2041.jpeg", content_type: "image/jpeg", size: 318772 });
  });

  it("Zendesk: a comment's files where the payload lists them (the API's Attachment shape)", () => {
    const payload = copy(zendeskFrench);
    payload.event = {
      comment: {
        id: "91",
        body: "x",
        is_public: true,
        attachments: [
          {
            file_name: "error.png",
            content_type: "image/png",
            content_url: "https://acme.zendesk.com/attachments/token/abc/?name=error.png",
            size: 2048,
            inline: false,
          },
        ],
      },
    };
    const { ticket } = ticketOf(map("zendesk", payload));
    expect(ticket.attachments).toEqual([
      { name: "error.png", content_type: "image/png", size: 2048, url: "https://acme.zendesk.com/attachments/token/abc/?name=error.png" },
    ]);
  });

  it("is bounded: at most 20, long names cut, odd fields dropped (never the ticket), no javascript: links", () => {
    const payload = copy(zammadImageOnly);
    payload.article.attachments = Array.from({ length: 25 }, (_, i) => ({
      filename: i === 0 ? `${"a".repeat(300)}.png` : `file-${i}.txt`,
      size: i === 1 ? "not a number" : String(100 + i),
      url: i === 2 ? "javascript:alert(1)" : `https://zammad.example.com/api/v1/ticket_attachment/82/112/${i}`,
      preferences: { "Content-Type": i === 3 ? "not a type" : "text/plain" },
    }));
    const { ticket } = ticketOf(map("zammad", payload));
    const list = ticket.attachments!;
    expect(list).toHaveLength(20);
    expect(list[0]!.name).toHaveLength(200);
    expect(list[0]!.name.endsWith("…")).toBe(true);
    expect(list[1]!.size).toBeNull();
    expect(list[2]!.url).toBeNull();
    expect(list[3]!.content_type).toBeNull();
    expect(ticket.body).toBe(
      `(no text; 25 attachments: ${list[0]!.name}, text/plain, 100 B; file-1.txt, text/plain; file-2.txt, text/plain, 102 B; file-3.txt, 103 B; file-4.txt, text/plain, 104 B; and 20 more)`,
    );
    // What the mapping hands intake passes our own schema as it is.
    expect(ticketSchema.safeParse(ticket).success).toBe(true);
  });

  it("the generic API takes attachments too, and refuses more than 20", () => {
    const base = { id: "T-1", subject: "s", body: "b", requester: { email: "a@b.test", name: "A" } };
    const one = { name: "a.pdf", content_type: "application/pdf", size: 10, url: "https://files.example.com/a.pdf" };
    expect(ticketSchema.safeParse({ ...base, attachments: [one] }).data?.attachments).toEqual([one]);
    expect(ticketSchema.safeParse({ ...base, attachments: Array.from({ length: 21 }, () => one) }).success).toBe(false);
    expect(ticketSchema.safeParse({ ...base, attachments: [{ ...one, url: "data:text/html,hi" }] }).success).toBe(false);
  });
});

describe("stand-in requesters are marked for the lookup", () => {
  it("Zendesk: the requester id", () => {
    const inbound = ticketOf(map("zendesk", zendeskFrench));
    expect(inbound.ticket.requester).toEqual({ email: "requester-7000001@zendesk.invalid", name: "Zendesk user 7000001" });
    expect(inbound.requesterRef).toEqual({ kind: "requester", id: "7000001" });
  });

  it("Intercom and Chatwoot: the contact id; a real address is no stand-in", () => {
    expect(ticketOf(map("intercom", intercomLead)).requesterRef).toEqual({ kind: "contact", id: "6650a1b2c3d4e5f6a7b8c9d1" });
    expect(ticketOf(map("chatwoot", chatwootPhoto)).requesterRef).toEqual({ kind: "contact", id: "512" });
    expect(ticketOf(map("zammad", zammadGerman)).requesterRef).toBeUndefined();
  });
});
