// Entitlements from any billing system: `GET <url>?email=<email>` answered by
// a small JSON document signed the Standard Webhooks way (as our own generic
// webhooks are: worker/integrations/generic/standard-webhooks.ts), with the
// shared secret saved on the Connectors page. We sign the request the same
// way (over the full request URL), so the billing system can tell it is us;
// the answer echoes the request's webhook-id, so it cannot be replayed.
// An unsigned, stale, tampered, oversized or malformed answer, or one about
// another email, is refused: a tier decides how fast a customer is answered.
// Format: docs/connectors.md "Entitlements from your billing system".
import { z } from "zod";
import { PLAN_TIERS } from "../domain/enums";
import type { Entitlement } from "../domain/types";
import { type CallContext, callVendor } from "../integrations/common/vendor-http";
import { readHeaders, sign, verify } from "../integrations/generic/standard-webhooks";
import { OutboundError } from "../integrations/types";
import { BillingSourceError, DEFAULT_SLA_HOURS, UNKNOWN_CUSTOMER_SLA_HOURS } from "./source-common";

/** An entitlement is a few fields: anything larger is not an answer to our question. */
const MAX_ANSWER_BYTES = 16 * 1024;

const answerSchema = z.object({
  email: z.string().trim().min(1).max(320),
  tier: z.enum(PLAN_TIERS),
  plan: z.string().trim().max(100).nullish(),
  sla_hours: z.number().int().min(1).max(720).nullish(),
  customer_name: z.string().trim().max(200).nullish(),
  company: z.string().trim().max(200).nullish(),
});

/** Where the answer's raw bytes are kept for the signature check (callVendor hands back parsed JSON only). */
interface Captured {
  headers: Headers;
  body: Uint8Array;
  oversized: boolean;
}

export async function genericEntitlement(
  ctx: Pick<CallContext, "fetch" | "retry">,
  source: { url: string; secret: string },
  email: string,
  nowSeconds = () => Math.floor(Date.now() / 1000),
): Promise<Entitlement> {
  const url = new URL(source.url);
  url.searchParams.set("email", email);
  const id = `lookup_${crypto.randomUUID().replaceAll("-", "")}`;
  const timestamp = String(nowSeconds());
  const signature = await sign(source.secret, id, timestamp, url.toString());

  let captured: Captured | null = null;
  const capturing: typeof fetch = async (input, init) => {
    const res = await ctx.fetch(input, init);
    const read = await readCapped(res, MAX_ANSWER_BYTES);
    captured = { headers: res.headers, body: read ?? new Uint8Array(), oversized: read === null };
    const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
    return new Response(nullBody ? null : ((read ?? new Uint8Array()) as BufferSource), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
  try {
    await callVendor(
      { baseUrl: url.origin, credentials: { secret: source.secret }, idempotencyKey: id, fetch: capturing, retry: ctx.retry },
      {
        method: "GET",
        path: `${url.pathname}${url.search}`,
        headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature },
      },
      { vendor: "Billing lookup" },
    );
  } catch (err) {
    if (err instanceof OutboundError) throw new BillingSourceError(err.message, err.retryable);
    throw err;
  }
  const answer = captured as Captured | null;
  if (!answer) throw new BillingSourceError("the billing lookup URL did not answer", true);
  if (answer.oversized) throw new BillingSourceError(`the billing lookup answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB: refused`, false);

  const signed = readHeaders(answer.headers);
  const failure = await verify(source.secret, signed, answer.body, nowSeconds());
  if (failure)
    throw new BillingSourceError(`the billing lookup answer is refused: ${failure} (it must be signed with the saved secret, webhook-* headers)`, false);
  // The answer echoes our request's id, so a signed answer recorded earlier cannot be replayed for another lookup.
  if (signed.id !== id) throw new BillingSourceError("the billing lookup answer is refused: its webhook-id is not the request's (answers must echo it)", false);

  let parsed: z.infer<typeof answerSchema>;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(answer.body));
    const result = answerSchema.safeParse(json);
    if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "));
    parsed = result.data;
  } catch (err) {
    throw new BillingSourceError(`the billing lookup answer is not the documented JSON: ${err instanceof Error ? err.message : String(err)}`, false);
  }
  if (parsed.email.toLowerCase() !== email.toLowerCase())
    throw new BillingSourceError(`the billing lookup answered for ${parsed.email}, not for the email asked about: refused`, false);
  return {
    tier: parsed.tier,
    plan: parsed.plan ?? (parsed.tier === "unknown" ? "none" : parsed.tier.charAt(0).toUpperCase() + parsed.tier.slice(1)),
    slaHours: parsed.sla_hours ?? (parsed.tier === "unknown" ? UNKNOWN_CUSTOMER_SLA_HOURS : DEFAULT_SLA_HOURS[parsed.tier]),
    customerName: parsed.customer_name ?? null,
    company: parsed.company ?? null,
    source: "generic",
  };
}

/** The body's bytes, or null past `limit` (read no further than that, whatever Content-Length says). */
async function readCapped(res: Response, limit: number): Promise<Uint8Array | null> {
  if (Number(res.headers.get("content-length") ?? "0") > limit) {
    await res.body?.cancel();
    return null;
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return body;
}
