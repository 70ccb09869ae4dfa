// Entitlements from outside billing sources (Stripe, the generic lookup URL),
// kept five minutes per email in the account agent's SQLite, with the Stripe
// customer ids each came from so a Stripe event about a customer drops its
// entries at once. In the Durable Object rather than KV: it is strongly
// consistent (an invalidation applies to the very next lookup, where KV may
// serve the old value for up to about a minute in other locations), needs no
// extra binding, and the agent already serializes the account's calls. Rows
// past their five minutes are pruned whenever one is written, so the tables
// hold only the emails looked up in the last five minutes.
import type { Entitlement } from "../../domain/types";
import type { Sql } from "../sql";

const ENTITLEMENT_TTL_MS = 5 * 60_000;

export function createEntitlementCacheTables(sql: Sql) {
  sql`create table if not exists entitlement_cache (email text primary key, entitlement text not null, source text not null,
    customers integer not null, expires_at integer not null)`;
  sql`create index if not exists entitlement_cache_expiry on entitlement_cache (expires_at)`;
  // Which cached emails a Stripe customer id stands behind (primary key: customer first, for invalidation by id).
  sql`create table if not exists entitlement_cache_customers (customer text not null, email text not null, primary key (customer, email))`;
  sql`create index if not exists entitlement_cache_customers_email on entitlement_cache_customers (email)`;
}

const keyOf = (email: string) => email.trim().toLowerCase();

export class EntitlementCache {
  constructor(private readonly sql: Sql) {}

  /** The cached entitlement, or null when none is fresh. */
  get(email: string, nowMs: number): Entitlement | null {
    const [row] = this.sql<{ entitlement: string }>`select entitlement from entitlement_cache where email = ${keyOf(email)} and expires_at > ${nowMs}`;
    return row ? (JSON.parse(row.entitlement) as Entitlement) : null;
  }

  put(email: string, entitlement: Entitlement, stripeCustomers: string[], nowMs: number) {
    this.prune(nowMs);
    const key = keyOf(email);
    this.forget(key);
    this.sql`insert into entitlement_cache (email, entitlement, source, customers, expires_at)
      values (${key}, ${JSON.stringify(entitlement)}, ${entitlement.source ?? "builtin"}, ${stripeCustomers.length}, ${nowMs + ENTITLEMENT_TTL_MS})`;
    for (const customer of new Set(stripeCustomers)) this.sql`insert or ignore into entitlement_cache_customers (customer, email) values (${customer}, ${key})`;
  }

  /**
   * Drops what a Stripe customer's change may have changed: the emails that
   * customer stood behind. A customer we have not seen may be new to an email
   * cached as having no Stripe customer at all, so those entries go too.
   */
  forgetStripeCustomer(customer: string): number {
    const emails = this.sql<{ email: string }>`select email from entitlement_cache_customers where customer = ${customer}`.map((r) => r.email);
    for (const email of emails) this.forget(email);
    if (emails.length) return emails.length;
    const [row] = this.sql<{ n: number }>`select count(*) as n from entitlement_cache where source = 'stripe' and customers = 0`;
    this.sql`delete from entitlement_cache where source = 'stripe' and customers = 0`;
    return row?.n ?? 0;
  }

  forgetEmail(email: string): number {
    return this.forget(keyOf(email));
  }

  /** Everything (the account's billing settings changed). */
  forgetAll(): number {
    const [row] = this.sql<{ n: number }>`select count(*) as n from entitlement_cache`;
    this.sql`delete from entitlement_cache`;
    this.sql`delete from entitlement_cache_customers`;
    return row?.n ?? 0;
  }

  prune(nowMs: number) {
    this.sql`delete from entitlement_cache_customers where email in (select email from entitlement_cache where expires_at <= ${nowMs})`;
    this.sql`delete from entitlement_cache where expires_at <= ${nowMs}`;
  }

  private forget(key: string): number {
    const [row] = this.sql<{ n: number }>`select count(*) as n from entitlement_cache where email = ${key}`;
    this.sql`delete from entitlement_cache where email = ${key}`;
    this.sql`delete from entitlement_cache_customers where email = ${key}`;
    return row?.n ?? 0;
  }
}
