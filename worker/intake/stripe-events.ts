// `POST /webhooks/:account/billing/stripe`: Stripe's events for an account that
// takes its entitlements from Stripe. A subscription created, updated or
// deleted drops the cached entitlements of its customer at once
// (AccountAgent.forgetEntitlements), so the next lookup asks Stripe again.
// Other event types are acknowledged and ignored. Answers: 200 (handled or
// ignored), 400 (unsigned, stale, tampered or not an event), 404 (unknown
// account, or Stripe not connected), 413 (too large). Nothing is audited; one
// log line per event (type, id, how many entries dropped), never the secret.
import { accountAgent } from "../agent/stubs";
import { stripeWebhookSecret } from "../billing/billing-sources";
import { verifyStripeSignature } from "../billing/stripe-signature";
import { HttpError } from "../domain/errors";
import { readLimited } from "./intake";

/** Subscription events are a few kilobytes; Stripe's largest objects stay well under this. */
const MAX_EVENT_BYTES = 256 * 1024;

const SUBSCRIPTION_EVENTS = new Set(["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"]);

export async function handleStripeEvent(request: Request, env: Env, accountId: string): Promise<Response> {
  const found = await stripeWebhookSecret(env, accountId);
  if (found.status === "no_account") throw new HttpError(404, `unknown account "${accountId}"`);
  if (found.status !== "ok")
    throw new HttpError(404, `Stripe is not connected for account "${accountId}" (switch it on and save the webhook signing secret on the Connectors page)`);
  const body = await readLimited(request, MAX_EVENT_BYTES);
  const failure = await verifyStripeSignature(found.secret, request.headers.get("stripe-signature"), body);
  if (failure) throw new HttpError(400, `Stripe-Signature refused: ${failure}`);

  let event: { id?: unknown; type?: unknown; data?: { object?: { customer?: unknown } } };
  try {
    event = JSON.parse(new TextDecoder().decode(body)) as typeof event;
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  if (typeof event?.type !== "string") throw new HttpError(400, "not a Stripe event: no type");
  if (!SUBSCRIPTION_EVENTS.has(event.type)) {
    console.log("stripe event ignored", accountId, event.type, event.id);
    return Response.json({ received: true, ignored: true });
  }
  const customer = event.data?.object?.customer;
  if (typeof customer !== "string" || !customer) throw new HttpError(400, `${event.type} without data.object.customer`);
  const dropped = await (await accountAgent(env, accountId)).forgetEntitlements({ stripeCustomer: customer });
  console.log("stripe event", accountId, event.type, event.id, `dropped ${dropped}`);
  return Response.json({ received: true, dropped });
}
