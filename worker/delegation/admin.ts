// What people and admins do with delegated connections, shared by the REST API
// and the dashboard: each person lists and disconnects their own; admins revoke
// or rotate one person's or everyone's. Every change is audited in D1 with the
// actor (`delegation.connected`, `delegation.revoked`, `delegation.rotated`).
// Nothing here ever carries a token.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { DelegatedConnection } from "../agent/stores/delegated-tokens";
import { accountAgent } from "../agent/stubs";
import { auditIdentity } from "../audit/audit-trail";
import { getDb, schema } from "../db/client";
import { fieldErrors, HttpError } from "../domain/errors";
import type { SessionUser } from "../domain/types";
import { removeMember } from "../identity/members";
import { actorOf, requireRole } from "../identity/session";
import { oauthClientSettings } from "../integrations/common/oauth-client";
import { DELEGATION_PROVIDER_IDS, DELEGATION_PROVIDERS, type DelegationProviderId, isDelegationProvider } from "../integrations/registry";

/** A connection as the dashboard and the API show it: the person by email, never a token. */
export interface ConnectionView extends Omit<DelegatedConnection, "person"> {
  email: string;
  /** Asked for but not granted. */
  scopesMissing: string[];
}

export interface ProviderConnections {
  provider: DelegationProviderId;
  name: string;
  scopesAsked: string[];
  /** Whether the account's connector has an OAuth client, so people can connect. */
  available: boolean;
  connection: ConnectionView | null;
}

async function emailsOf(env: Env, userIds: string[]): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  const rows = await getDb(env).select({ id: schema.users.id, email: schema.users.email }).from(schema.users).where(inArray(schema.users.id, userIds));
  return new Map(rows.map((r) => [r.id, r.email]));
}

function viewOf(c: DelegatedConnection, email: string): ConnectionView {
  const { person: _person, ...rest } = c;
  return { ...rest, email, scopesMissing: c.scopesAsked.filter((s) => !c.scopesGranted.includes(s)) };
}

async function views(env: Env, connections: DelegatedConnection[]): Promise<ConnectionView[]> {
  const emails = await emailsOf(env, [...new Set(connections.map((c) => c.person))]);
  return connections.map((c) => viewOf(c, emails.get(c.person) ?? c.person));
}

/** The signed-in person's connections in this account, one entry per provider. */
export async function myConnections(env: Env, user: SessionUser, accountId: string): Promise<ProviderConnections[]> {
  requireRole(user, accountId, "agent");
  const mine = await (await accountAgent(env, accountId)).listDelegatedConnections(user.id);
  return Promise.all(
    DELEGATION_PROVIDER_IDS.map(async (id) => {
      const c = mine.find((m) => m.provider === id);
      return {
        provider: id,
        name: DELEGATION_PROVIDERS[id].name,
        scopesAsked: [...DELEGATION_PROVIDERS[id].scopes],
        available: (await oauthClientSettings(env, accountId, id).catch(() => null)) !== null,
        connection: c ? viewOf(c, user.email) : null,
      };
    }),
  );
}

function providerOf(param: string): DelegationProviderId {
  if (!isDelegationProvider(param)) throw new HttpError(404, `no connectable system "${param}"`);
  return param;
}

/** The person disconnects their own connection to a provider. */
export async function disconnectMine(env: Env, user: SessionUser, accountId: string, providerParam: string): Promise<{ revoked: number }> {
  requireRole(user, accountId, "agent");
  const provider = providerOf(providerParam);
  const actor = actorOf(user);
  const revoked = await (await accountAgent(env, accountId)).revokeDelegated(user.id, provider, actor);
  if (revoked.length) {
    await auditIdentity(env, accountId, actor, "delegation.revoked", {
      before: { connections: revoked.map((c) => ({ person: user.email, provider: c.provider, scopesGranted: c.scopesGranted })) },
      after: { person: user.email, provider, count: revoked.length, by: "self" },
      artifact: `delegations/${user.email}`,
    });
  }
  return { revoked: revoked.length };
}

/** Every connection in the account (admins): for the Members page. */
export async function allConnections(env: Env, user: SessionUser, accountId: string): Promise<ConnectionView[]> {
  requireRole(user, accountId, "admin");
  return views(env, await (await accountAgent(env, accountId)).listDelegatedConnections("*"));
}

const targetSchema = z
  .object({
    person: z.string().trim().toLowerCase().pipe(z.email("an email address").max(320)).optional(),
    provider: z.string().max(40).optional(),
  })
  .strict();

/**
 * The user id behind an email: a member of the account, or someone who still
 * has a connection here (a removed member). Anyone else is 404, so the route
 * says nothing about people outside the account.
 */
async function personOf(env: Env, accountId: string, email: string): Promise<string> {
  const db = getDb(env);
  const user = await db.query.users.findFirst({ where: eq(schema.users.email, email), columns: { id: true } });
  if (user) {
    const member = await db.query.memberships.findFirst({
      where: and(eq(schema.memberships.accountId, accountId), eq(schema.memberships.userId, user.id)),
      columns: { userId: true },
    });
    if (member) return user.id;
    if ((await (await accountAgent(env, accountId)).listDelegatedConnections(user.id)).length) return user.id;
  }
  throw new HttpError(404, `no member ${email} in "${accountId}"`, { fields: [{ path: "person", message: "not a member of this account" }] });
}

async function targetOf(env: Env, accountId: string, raw: unknown) {
  const parsed = targetSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new HttpError(400, "invalid request", { fields: fieldErrors(parsed.error) });
  const provider = parsed.data.provider ? providerOf(parsed.data.provider) : "*";
  const email = parsed.data.person ?? null;
  const person = email ? await personOf(env, accountId, email) : "*";
  return { person, email: email ?? "*", provider };
}

/** Admins: revoke one person's connections ({person: email}) or everyone's ({}), for one provider or all. */
export async function adminRevoke(env: Env, user: SessionUser, accountId: string, raw: unknown): Promise<{ revoked: ConnectionView[] }> {
  requireRole(user, accountId, "admin");
  const target = await targetOf(env, accountId, raw);
  const actor = actorOf(user);
  const revoked = await views(env, await (await accountAgent(env, accountId)).revokeDelegated(target.person, target.provider, actor));
  await auditIdentity(env, accountId, actor, "delegation.revoked", {
    before: { connections: revoked.map((c) => ({ person: c.email, provider: c.provider, scopesGranted: c.scopesGranted })) },
    after: { person: target.email, provider: target.provider, count: revoked.length },
    artifact: `delegations/${target.email}`,
  });
  return { revoked };
}

/** Admins: refresh now (new access and refresh tokens) for one person or everyone. */
export async function adminRotate(
  env: Env,
  user: SessionUser,
  accountId: string,
  raw: unknown,
): Promise<{ rotated: ConnectionView[]; failed: { email: string; provider: string; error: string }[] }> {
  requireRole(user, accountId, "admin");
  const target = await targetOf(env, accountId, raw);
  const actor = actorOf(user);
  const result = await (await accountAgent(env, accountId)).rotateDelegated(target.person, target.provider, actor);
  const rotated = await views(env, result.rotated);
  const emails = await emailsOf(
    env,
    result.failed.map((f) => f.person),
  );
  const failed = result.failed.map((f) => ({ email: emails.get(f.person) ?? f.person, provider: f.provider, error: f.error }));
  await auditIdentity(env, accountId, actor, "delegation.rotated", {
    after: {
      person: target.email,
      provider: target.provider,
      rotated: rotated.map((c) => ({ person: c.email, provider: c.provider, expiresAt: c.expiresAt })),
      failed,
    },
    artifact: `delegations/${target.email}`,
  });
  return { rotated, failed };
}

/** A removed member's connections go with the membership. */
async function revokeConnectionsOfRemovedMember(env: Env, accountId: string, userId: string, email: string, actor: string): Promise<void> {
  const revoked = await (await accountAgent(env, accountId)).revokeDelegated(userId, "*", actor);
  if (!revoked.length) return;
  await auditIdentity(env, accountId, actor, "delegation.revoked", {
    before: { connections: revoked.map((c) => ({ person: email, provider: c.provider, scopesGranted: c.scopesGranted })) },
    after: { person: email, provider: "*", count: revoked.length, reason: "member removed" },
    artifact: `delegations/${email}`,
  });
}

/** Removes a member, and with them their delegated help-desk connections in the account (audited as delegation.revoked). */
export async function removeMemberWithConnections(env: Env, user: SessionUser, accountId: string, userId: string): Promise<void> {
  const removed = await removeMember(env, user, accountId, userId);
  await revokeConnectionsOfRemovedMember(env, accountId, userId, removed.email, actorOf(user));
}
