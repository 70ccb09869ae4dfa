// From an identity provider's (issuer, subject, email) to one of our users.
// Shared by OpenID Connect (worker/identity/oidc.ts) and Cloudflare Access
// (worker/identity/access.ts). Nobody gets a user row by signing in: people are
// invited (or created with scripts/create-user.ts) first, and their first
// sign-in through a provider links that provider's identity to them.
import { and, eq, sql } from "drizzle-orm";
import { getDb, schema } from "../db/client";

export interface ProviderIdentity {
  /** OIDC: the provider's issuer URL; Access: the team domain. */
  issuer: string;
  subject: string;
  email: string;
}

export type IdentityMatch = { ok: true; userId: string; how: "identity" | "email" } | { ok: false; email: string };

/**
 * 1. an identity row (issuer, subject) → its user, whatever email the provider
 *    says today (the subject is the stable key);
 * 2. else a user whose email equals the provider's (case-insensitive) gets the
 *    identity linked;
 * 3. else no match: the caller refuses.
 * With `recordLogin`, last_login_at (and the email the provider reported) are updated.
 */
export async function matchIdentity(env: Env, identity: ProviderIdentity, opts: { recordLogin: boolean }): Promise<IdentityMatch> {
  const db = getDb(env);
  const now = new Date().toISOString();
  const key = and(eq(schema.identities.issuer, identity.issuer), eq(schema.identities.subject, identity.subject));

  const known = await db.select({ userId: schema.identities.userId }).from(schema.identities).where(key).get();
  if (known) {
    if (opts.recordLogin) await db.update(schema.identities).set({ lastLoginAt: now, email: identity.email }).where(key);
    return { ok: true, userId: known.userId, how: "identity" };
  }

  const email = identity.email.trim().toLowerCase();
  const user = await db.select({ id: schema.users.id }).from(schema.users).where(sql`lower(${schema.users.email}) = ${email}`).get();
  if (!user) return { ok: false, email: identity.email.trim() };

  await db
    .insert(schema.identities)
    .values({ issuer: identity.issuer, subject: identity.subject, userId: user.id, email: identity.email, lastLoginAt: opts.recordLogin ? now : null })
    // Two first sign-ins at once: the first link wins, both map to the same user.
    .onConflictDoNothing();
  return { ok: true, userId: user.id, how: "email" };
}
