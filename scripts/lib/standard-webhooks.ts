// Signing deliveries the Standard Webhooks way (https://www.standardwebhooks.com):
// HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the key
// base64-decoded from the secret after `whsec_`; the signature header is
// `v1,<base64>`, the timestamp unix seconds.
import { createHmac, randomBytes } from "node:crypto";

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** `v1,<base64 HMAC-SHA256>` for one delivery. */
function signature(secret: string, id: string, timestamp: string | number, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  if (key.length === 0) throw new Error("empty webhook secret");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest("base64");
  return `v1,${mac}`;
}

/** A fresh message id, `msg_` + 24 random base64url characters. */
function newMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

/** The three headers of a signed delivery of `body`. */
export function signHeaders(
  secret: string,
  body: string,
  { id = newMessageId(), timestamp = Math.floor(Date.now() / 1000) }: { id?: string; timestamp?: number } = {},
): SignedHeaders {
  const ts = String(timestamp);
  return { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": signature(secret, id, ts, body) };
}
