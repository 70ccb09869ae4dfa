// Stripe's webhook signature (`Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=…]`):
// HMAC-SHA256 with the endpoint's signing secret (the whole `whsec_…` string)
// over `<t>.<raw body>`. Several v1 entries come while a secret is being
// rolled; any one may match. Five minutes' tolerance, as Stripe's libraries.
import { hmac, timingSafeEqual, toHex } from "../crypto/hashing";

const TOLERANCE_SECONDS = 300;

export type StripeSignatureFailure = "missing signature" | "malformed signature" | "stale timestamp" | "bad signature";

/** Null when the event is authentic and fresh, else why not. */
export async function verifyStripeSignature(
  secret: string,
  header: string | null,
  body: Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<StripeSignatureFailure | null> {
  if (!header?.trim()) return "missing signature";
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const offered = parts.filter(([k, v]) => k === "v1" && v).map(([, v]) => v!);
  if (!t || !/^\d{1,12}$/.test(t) || offered.length === 0) return "malformed signature";
  if (Math.abs(nowSeconds - Number(t)) > TOLERANCE_SECONDS) return "stale timestamp";
  const prefix = new TextEncoder().encode(`${t}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  const expected = toHex(await hmac("SHA-256", secret, message));
  // Every entry is compared (no early exit), so timing does not tell which one matched.
  let ok = false;
  for (const candidate of offered) ok = timingSafeEqual(candidate.toLowerCase(), expected) || ok;
  return ok ? null : "bad signature";
}
