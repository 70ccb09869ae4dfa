// Entitlements from Stripe: the customers with the requester's email, their
// live subscriptions (active, trialing, past_due), and the tier the account's
// mapping gives each subscription item; the best tier wins.
//
// Calls (Stripe's documented REST API, Bearer restricted key, GET only):
//   GET /v1/customers?email=&limit=100                 (the email filter is exact and case-sensitive:
//                                                       the address as written, then lower-cased if different)
//   GET /v1/subscriptions?customer=&limit=100          (no `status`: Stripe then lists every status but
//                                                       canceled, one request for the three we count)
//   GET /v1/products?ids[]=…&limit=100                 (only when a product's name or metadata is needed)
// Lists page with `has_more` + `starting_after`. Products are fetched rather
// than expanded: `data.items.data.price.product` is five levels deep and
// Stripe expands at most four ("You cannot expand more than 4 levels").
//
// Plain fetch through the connectors' callVendor (worker/integrations/common/
// vendor-http.ts), not the `stripe` npm package: we need three list endpoints,
// and the package is a large dependency (stripe 23.1.0: a 2.1 MB tarball,
// 18.3 MB unpacked) that brings its own retry loop (maxNetworkRetries), which
// would stack with callVendor's retries and the Workflow step's. callVendor
// already retries 429/5xx honoring Retry-After and redacts the key from messages.
import type { MappedTier, MappingRule, StripeMapping } from "../domain/billing";
import type { Entitlement } from "../domain/types";
import { type CallContext, callVendor } from "../integrations/common/vendor-http";
import { OutboundError } from "../integrations/types";
import { BillingSourceError, DEFAULT_SLA_HOURS, UNKNOWN_CUSTOMER_SLA_HOURS } from "./source-common";

/** Stripe's largest page. */
const PAGE_SIZE = 100;
/** Pages read at most per list (1,000 customers with one email, 1,000 live subscriptions per customer): a bound, not a limit anyone meets. */
const MAX_PAGES = 10;
/** The statuses that still entitle the customer (past_due: Stripe is still retrying the payment). */
const LIVE_STATUSES = new Set(["active", "trialing", "past_due"]);
const TIER_RANK: Record<MappedTier, number> = { free: 1, pro: 2, enterprise: 3 };

type Metadata = Record<string, string> | null | undefined;

interface StripeList<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}

interface StripeCustomer {
  id: string;
  name?: string | null;
  metadata?: Metadata;
}

interface StripeProduct {
  id: string;
  name?: string | null;
  metadata?: Metadata;
}

interface StripePrice {
  id: string;
  lookup_key?: string | null;
  nickname?: string | null;
  /** An id, or the object where the request expanded it. */
  product: string | StripeProduct;
  metadata?: Metadata;
}

interface StripeSubscription {
  id: string;
  status: string;
  metadata?: Metadata;
  items: StripeList<{ id: string; price: StripePrice }>;
}

/** What Stripe told us about one email: the entitlement, and the customer ids it came from (for invalidation by webhook). */
export interface StripeLookup {
  entitlement: Entitlement;
  customers: string[];
}

export async function stripeEntitlement(ctx: CallContext, mapping: StripeMapping, email: string): Promise<StripeLookup> {
  const customers = await customersByEmail(ctx, email);
  const items: LiveItem[] = [];
  for (const customer of customers) {
    const subscriptions = await list<StripeSubscription>(ctx, "/v1/subscriptions", { customer: customer.id });
    for (const sub of subscriptions) {
      if (!LIVE_STATUSES.has(sub.status)) continue;
      for (const item of sub.items?.data ?? []) if (item?.price) items.push({ sub, price: item.price });
    }
  }
  const products = await productsFor(ctx, mapping, items);
  let best: Tiered | null = null;
  for (const item of items) {
    const found = tierOf(mapping, item, products);
    if (found && (!best || better(found, best))) best = found;
  }
  const named = customers.find((c) => c.name);
  const customerName = named?.name ?? null;
  const company = customers.map((c) => c.metadata?.company).find((c): c is string => !!c) ?? null;
  const entitlement: Entitlement = best
    ? { tier: best.tier, plan: best.plan, slaHours: best.slaHours, customerName, company, source: "stripe" }
    : { tier: "unknown", plan: "none", slaHours: UNKNOWN_CUSTOMER_SLA_HOURS, customerName, company, source: "stripe" };
  return { entitlement, customers: customers.map((c) => c.id) };
}

type Tiered = { tier: MappedTier; slaHours: number; plan: string };
interface LiveItem {
  sub: StripeSubscription;
  price: StripePrice;
}

/** A higher tier wins; within a tier, the shorter SLA. */
const better = (a: { tier: MappedTier; slaHours: number }, b: { tier: MappedTier; slaHours: number }) =>
  TIER_RANK[a.tier] > TIER_RANK[b.tier] || (a.tier === b.tier && a.slaHours < b.slaHours);

/** Stripe's email filter is exact: ask for the address as written, and lower-cased when that differs. */
async function customersByEmail(ctx: CallContext, email: string): Promise<StripeCustomer[]> {
  const found = await list<StripeCustomer>(ctx, "/v1/customers", { email });
  const lower = email.toLowerCase();
  if (lower === email) return found;
  const more = await list<StripeCustomer>(ctx, "/v1/customers", { email: lower });
  const seen = new Set(found.map((c) => c.id));
  return [...found, ...more.filter((c) => !seen.has(c.id))];
}

const productIdOf = (price: StripePrice) => (typeof price.product === "string" ? price.product : price.product?.id);

/** The rule an item matches by price id, product id or lookup key (the best one when several do). */
function ruleFor(mapping: StripeMapping, price: StripePrice): MappingRule | null {
  const keys = new Set([price.id, productIdOf(price), price.lookup_key].filter((k): k is string => !!k));
  let best: MappingRule | null = null;
  for (const rule of mapping.rules) if (keys.has(rule.match) && (!best || better(rule, best))) best = rule;
  return best;
}

const metadataTier = (key: string, ...sources: Metadata[]) => sources.map((m) => m?.[key]?.trim().toLowerCase()).find(isMappedTier);

/**
 * The products whose name or metadata an answer needs, in one list call per
 * 100 ids: those of items no rule matches when a metadata key may name their
 * tier on the product, and those of matched items whose rule has no plan name
 * (the product's name is the plan then).
 */
async function productsFor(ctx: CallContext, mapping: StripeMapping, items: LiveItem[]): Promise<Map<string, StripeProduct>> {
  const wanted = new Set<string>();
  for (const { sub, price } of items) {
    if (typeof price.product !== "string") continue;
    const rule = ruleFor(mapping, price);
    const needsMetadata = !rule && !!mapping.metadataKey && !metadataTier(mapping.metadataKey, sub.metadata, price.metadata);
    const needsName = !!rule && !rule.plan && !price.nickname;
    if (needsMetadata || needsName) wanted.add(price.product);
  }
  const products = new Map<string, StripeProduct>();
  const ids = [...wanted];
  for (let i = 0; i < ids.length; i += PAGE_SIZE) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    for (const id of ids.slice(i, i + PAGE_SIZE)) query.append("ids[]", id);
    // `ids` cannot be combined with `starting_after`: one page of at most 100 answers at most 100 ids.
    const body = await get<StripeList<StripeProduct>>(ctx, `/v1/products?${query}`);
    if (body?.object !== "list" || !Array.isArray(body.data))
      throw new BillingSourceError("Stripe answered GET /v1/products with something that is not a list", true);
    for (const p of body.data) products.set(p.id, p);
  }
  return products;
}

/** The tier one subscription item gives: the best matching rule, else the metadata key's tier (subscription, price, then product). */
function tierOf(mapping: StripeMapping, { sub, price }: LiveItem, products: Map<string, StripeProduct>): Tiered | null {
  const productId = productIdOf(price);
  const product = typeof price.product === "object" && price.product ? price.product : productId ? products.get(productId) : undefined;
  const label = product?.name ?? price.nickname ?? null;
  const rule = ruleFor(mapping, price);
  if (rule) return { tier: rule.tier, slaHours: rule.slaHours, plan: rule.plan || label || titleOf(rule.tier) };
  const key = mapping.metadataKey;
  if (!key) return null;
  const named = metadataTier(key, sub.metadata, price.metadata, product?.metadata);
  if (!named) return null;
  // The tier's SLA: the smallest of the rules for that tier, else the default.
  const ruleHours = mapping.rules.filter((r) => r.tier === named).map((r) => r.slaHours);
  return { tier: named, slaHours: ruleHours.length ? Math.min(...ruleHours) : DEFAULT_SLA_HOURS[named], plan: label || titleOf(named) };
}

const isMappedTier = (v: string | undefined): v is MappedTier => v === "free" || v === "pro" || v === "enterprise";
const titleOf = (tier: string) => tier.charAt(0).toUpperCase() + tier.slice(1);

/** Every item of a Stripe list, page by page (`has_more` + `starting_after`), at most MAX_PAGES. */
async function list<T extends { id: string }>(ctx: CallContext, path: string, params: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ ...params, limit: String(PAGE_SIZE) });
    if (after) query.set("starting_after", after);
    const body = await get<StripeList<T>>(ctx, `${path}?${query}`);
    if (body?.object !== "list" || !Array.isArray(body.data))
      throw new BillingSourceError(`Stripe answered GET ${path} with something that is not a list`, true);
    items.push(...body.data);
    const last = body.data.at(-1);
    if (!body.has_more || !last) return items;
    after = last.id;
  }
  return items;
}

async function get<T>(ctx: CallContext, path: string): Promise<T | null> {
  try {
    return await callVendor<T>(ctx, { method: "GET", path, headers: { authorization: `Bearer ${ctx.credentials.apiKey}` } }, { vendor: "Stripe" });
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    // A revoked or wrong key, or one without the needed permissions: retrying cannot help; an admin must act.
    if (err.status === 401)
      throw new BillingSourceError(
        `Stripe refused the API key (401): it was revoked, rolled or mistyped. Enter a new restricted key on the Connectors page. ${err.message}`,
        false,
      );
    if (err.status === 403)
      throw new BillingSourceError(
        `Stripe refused the API key (403): the restricted key lacks a permission (it needs Customers, Subscriptions, Products and Prices read). ${err.message}`,
        false,
      );
    throw new BillingSourceError(err.message, err.retryable);
  }
}
