// Signs a webhook body the way each help desk does, for tests that post
// deliveries to the intake. Written against WebCrypto only (independently of
// the verifiers in worker/integrations/<vendor>/inbound.ts) so a test that round-trips through
// both checks one implementation against the other.
import type { SourceId } from "../worker/domain/source-ids.ts";

export interface SignOptions {
  /** Help Scout's X-HelpScout-Event (default "convo.created"). */
  event?: string;
  /** Delivery id for the vendors that send one (Chatwoot, Zammad, Zendesk invocation id, Standard Webhooks id). */
  deliveryId?: string;
  /** Freshdesk: send the secret as HTTP Basic password instead of the token header. */
  basicAuth?: boolean;
}

const encoder = new TextEncoder();

async function hmac(hash: "SHA-1" | "SHA-256", key: Uint8Array, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key as BufferSource, { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const utf8 = (text: string) => encoder.encode(text);

/**
 * All headers a correctly signed delivery of `body` from `source` carries at
 * `nowSeconds` (default: the current time), including content-type.
 */
export async function signFor(
  source: SourceId,
  secret: string,
  body: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  options: SignOptions = {},
): Promise<Record<string, string>> {
  const json = { "content-type": "application/json" };
  const deliveryId = options.deliveryId ?? crypto.randomUUID();
  const ts = String(nowSeconds);

  switch (source) {
    case "generic": {
      const id = options.deliveryId ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`;
      const key = Uint8Array.from(atob(secret.startsWith("whsec_") ? secret.slice(6) : secret), (c) => c.charCodeAt(0));
      const sig = base64(await hmac("SHA-256", key, `${id}.${ts}.${body}`));
      return { ...json, "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${sig}` };
    }
    case "zendesk": {
      const rfc3339 = new Date(nowSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      return {
        ...json,
        "user-agent": "Zendesk Webhook",
        "x-zendesk-webhook-id": "01HTESTWEBHOOK0000000000000",
        "x-zendesk-webhook-invocation-id": deliveryId,
        "x-zendesk-webhook-signature-timestamp": rfc3339,
        "x-zendesk-webhook-signature": base64(await hmac("SHA-256", utf8(secret), rfc3339 + body)),
      };
    }
    case "helpscout":
      return {
        ...json,
        "x-helpscout-event": options.event ?? "convo.created",
        "x-helpscout-signature": base64(await hmac("SHA-1", utf8(secret), body)),
      };
    case "intercom":
      return { ...json, "x-hub-signature": `sha1=${hex(await hmac("SHA-1", utf8(secret), body))}` };
    case "front": {
      // Front sends the request timestamp in milliseconds.
      const ms = String(nowSeconds * 1000);
      return {
        ...json,
        "x-front-request-timestamp": ms,
        "x-front-signature": base64(await hmac("SHA-256", utf8(secret), `${ms}:${body}`)),
      };
    }
    case "chatwoot":
      return {
        ...json,
        "x-chatwoot-timestamp": ts,
        "x-chatwoot-delivery": deliveryId,
        "x-chatwoot-signature": `sha256=${hex(await hmac("SHA-256", utf8(secret), `${ts}.${body}`))}`,
      };
    case "zammad":
      return {
        ...json,
        "user-agent": "Zammad User Agent",
        "x-zammad-trigger": "support-triage",
        "x-zammad-delivery": deliveryId,
        "x-hub-signature": `sha1=${hex(await hmac("SHA-1", utf8(secret), body))}`,
      };
    case "freshdesk":
      return options.basicAuth ? { ...json, authorization: `Basic ${base64(utf8(`freshdesk:${secret}`))}` } : { ...json, "x-support-triage-token": secret };
  }
}
