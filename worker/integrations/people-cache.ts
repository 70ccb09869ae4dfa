// The people cache (`people_cache`, its only writer): what a help desk's API
// answered about the person behind a stand-in requester, kept for an hour.
// Why D1: it is already bound and strongly consistent (a second ticket from
// the same person a second later finds the row, which KV's eventual
// consistency does not promise), a row expires by a column, and no new
// binding is needed (OAUTH_KV belongs to the OAuth provider). Why an hour: long
// enough that a burst of tickets from one person makes one call, short enough
// that a changed name or address shows soon and personal data is not hoarded;
// expired rows of the account are deleted whenever a new one is written.
import { and, eq, gt, lte } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { PersonFound, RequesterRef } from "./types";

/** How long an answer is reused. */
const PEOPLE_CACHE_TTL_MS = 60 * 60 * 1000;

const key = (accountId: string, source: string, ref: RequesterRef) =>
  and(
    eq(schema.peopleCache.accountId, accountId),
    eq(schema.peopleCache.source, source),
    eq(schema.peopleCache.kind, ref.kind),
    eq(schema.peopleCache.personId, ref.id),
  );

/** The cached answer for this person, unless it has expired. */
export async function cachedPerson(env: Env, accountId: string, source: string, ref: RequesterRef, now = new Date()): Promise<PersonFound | null> {
  const [row] = await getDb(env)
    .select({ email: schema.peopleCache.email, name: schema.peopleCache.name })
    .from(schema.peopleCache)
    .where(and(key(accountId, source, ref), gt(schema.peopleCache.expiresAt, now.toISOString())))
    .limit(1);
  return row ?? null;
}

/** Keeps an answer for PEOPLE_CACHE_TTL_MS (replacing an older one) and drops the account's expired rows. */
export async function rememberPerson(env: Env, accountId: string, source: string, ref: RequesterRef, found: PersonFound, now = new Date()): Promise<void> {
  const db = getDb(env);
  const at = now.toISOString();
  const expiresAt = new Date(now.getTime() + PEOPLE_CACHE_TTL_MS).toISOString();
  await db.batch([
    db.delete(schema.peopleCache).where(and(eq(schema.peopleCache.accountId, accountId), lte(schema.peopleCache.expiresAt, at))),
    db
      .insert(schema.peopleCache)
      .values({ accountId, source, kind: ref.kind, personId: ref.id, email: found.email, name: found.name, fetchedAt: at, expiresAt })
      .onConflictDoUpdate({
        target: [schema.peopleCache.accountId, schema.peopleCache.source, schema.peopleCache.kind, schema.peopleCache.personId],
        set: { email: found.email, name: found.name, fetchedAt: at, expiresAt },
      }),
  ]);
}
