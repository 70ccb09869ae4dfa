// Standard Webhooks verification (https://www.standardwebhooks.com):
// HMAC-SHA256 over `${webhook-id}.${webhook-timestamp}.${body}` with the
// base64-decoded secret after `whsec_`; `webhook-signature` holds one or more
// space-separated `v1,<base64>` entries (several during secret rotation).

import { fromBase64, hmac, timingSafeEqual, toBase64 } from "../../crypto/hashing";
import { checkTimestamp } from "../common/timestamps";
import type { VerifyFailure } from "../types";

export interface StandardWebhookHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

export function readHeaders(headers: Headers): StandardWebhookHeaders {
  return {
    id: headers.get("webhook-id"),
    timestamp: headers.get("webhook-timestamp"),
    signature: headers.get("webhook-signature"),
  };
}

export async function sign(secret: string, id: string, timestamp: string, body: string | Uint8Array): Promise<string> {
  const key = fromBase64(secret.startsWith("whsec_") ? secret.slice(6) : secret);
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const payload = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const message = new Uint8Array(prefix.length + payload.length);
  message.set(prefix);
  message.set(payload, prefix.length);
  return `v1,${toBase64(await hmac("SHA-256", key, message))}`;
}

/** Verifies a delivery; returns null when it is authentic and fresh, or why not. */
export async function verify(
  secret: string,
  h: StandardWebhookHeaders,
  body: Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<VerifyFailure | null> {
  if (!h.id || !h.signature) return "missing signature";
  if (!h.timestamp) return "missing timestamp";
  if (!/^\d{1,12}$/.test(h.timestamp)) return "malformed timestamp";
  const stale = checkTimestamp(Number(h.timestamp), nowSeconds);
  if (stale) return stale;
  let expected: string;
  try {
    expected = await sign(secret, h.id, h.timestamp, body);
  } catch {
    // A secret that is not base64 cannot have produced any signature.
    return "bad signature";
  }
  const offered = h.signature.split(" ").filter((s) => s.startsWith("v1,"));
  // Check every entry (no early exit) so timing does not tell which one matched.
  let ok = false;
  for (const candidate of offered) ok = timingSafeEqual(candidate, expected) || ok;
  return ok ? null : "bad signature";
}
