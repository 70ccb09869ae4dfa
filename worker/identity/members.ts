// Who belongs to an account: admins list members, change roles, remove people
// and invite new ones with a one-time link (`/invite/<token>`, valid 7 days,
// stored as SHA-256 only). Nothing is emailed: the admin passes the link on.
// Every change is audited: member.invited, member.invitation_revoked,
// member.role_changed, member.removed, member.joined.
import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { auditIdentity } from "../audit/audit-trail";
import { randomToken, sha256Hex } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import { fieldErrors, HttpError } from "../domain/errors";
import type { Role, SessionUser } from "../domain/types";
import { revokeTokensOf } from "./api-tokens";
import { hashPassword } from "./password";
import { actorOf, requireRole } from "./session";

export const INVITATION_TTL_DAYS = 7;
const INVITE_PREFIX = "st_inv_";
const ROLES = ["agent", "lead", "admin"] as const satisfies readonly Role[];
export const PASSWORD_MIN = 12;

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

export async function listMembers(env: Env, user: SessionUser, accountId: string): Promise<{ members: MemberView[]; invitations: InvitationView[] }> {
  requireRole(user, accountId, "admin");
  const db = getDb(env);
  const [members, invitations] = await Promise.all([
    db
      .select({ userId: schema.users.id, email: schema.users.email, name: schema.users.name, role: schema.memberships.role })
      .from(schema.memberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
      .where(eq(schema.memberships.accountId, accountId))
      .orderBy(asc(schema.users.email)),
    db
      .select({
        id: schema.invitations.id,
        email: schema.invitations.email,
        role: schema.invitations.role,
        invitedBy: schema.invitations.invitedBy,
        createdAt: schema.invitations.createdAt,
        expiresAt: schema.invitations.expiresAt,
      })
      .from(schema.invitations)
      .where(
        and(eq(schema.invitations.accountId, accountId), isNull(schema.invitations.acceptedAt), gt(schema.invitations.expiresAt, new Date().toISOString())),
      )
      .orderBy(asc(schema.invitations.createdAt)),
  ]);
  return { members, invitations };
}

const inviteSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email("enter an email address").max(320)),
    role: z.enum(ROLES),
  })
  .strict();

/**
 * Creates an invitation. The link's token is in the answer and nowhere else;
 * a new invitation for the same address replaces an open one.
 */
export async function inviteMember(
  env: Env,
  user: SessionUser,
  accountId: string,
  raw: unknown,
): Promise<{ invitation: InvitationView; token: string; path: string }> {
  requireRole(user, accountId, "admin");
  const parsed = inviteSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid invitation", { fields: fieldErrors(parsed.error) });
  const { email, role } = parsed.data;
  const db = getDb(env);
  const existing = await db
    .select({ userId: schema.users.id })
    .from(schema.users)
    .innerJoin(schema.memberships, and(eq(schema.memberships.userId, schema.users.id), eq(schema.memberships.accountId, accountId)))
    .where(eq(schema.users.email, email))
    .get();
  if (existing) throw new HttpError(409, `${email} is already a member of "${accountId}"`, { fields: [{ path: "email", message: "already a member" }] });

  const token = INVITE_PREFIX + randomToken(32);
  const now = new Date();
  const row = {
    id: `inv_${randomToken(8)}`,
    accountId,
    email,
    role,
    tokenHash: await sha256Hex(token),
    invitedBy: actorOf(user),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000).toISOString(),
  };
  await db.batch([
    db
      .delete(schema.invitations)
      .where(and(eq(schema.invitations.accountId, accountId), eq(schema.invitations.email, email), isNull(schema.invitations.acceptedAt))),
    db.insert(schema.invitations).values(row),
  ]);
  await auditIdentity(env, accountId, actorOf(user), "member.invited", { after: { email, role, expiresAt: row.expiresAt }, artifact: `invitations/${row.id}` });
  const { tokenHash: _hash, accountId: _account, ...invitation } = row;
  return { invitation, token, path: `/invite/${token}` };
}

export async function revokeInvitation(env: Env, user: SessionUser, accountId: string, invitationId: string): Promise<void> {
  requireRole(user, accountId, "admin");
  const db = getDb(env);
  const deleted = await db
    .delete(schema.invitations)
    .where(and(eq(schema.invitations.id, invitationId), eq(schema.invitations.accountId, accountId), isNull(schema.invitations.acceptedAt)))
    .returning({ email: schema.invitations.email, role: schema.invitations.role });
  if (!deleted[0]) throw new HttpError(404, `no open invitation "${invitationId}" in "${accountId}"`);
  await auditIdentity(env, accountId, actorOf(user), "member.invitation_revoked", { before: deleted[0], artifact: `invitations/${invitationId}` });
}

async function memberOf(env: Env, accountId: string, userId: string) {
  return getDb(env)
    .select({ userId: schema.users.id, email: schema.users.email, role: schema.memberships.role })
    .from(schema.memberships)
    .innerJoin(schema.users, eq(schema.users.id, schema.memberships.userId))
    .where(and(eq(schema.memberships.accountId, accountId), eq(schema.memberships.userId, userId)))
    .get();
}

async function adminCount(env: Env, accountId: string): Promise<number> {
  const [{ n }] = (await getDb(env)
    .select({ n: count() })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.accountId, accountId), eq(schema.memberships.role, "admin")))) as [{ n: number }];
  return n;
}

const LAST_ADMIN = "an account needs at least one admin: make someone else admin first";

export async function changeMemberRole(
  env: Env,
  user: SessionUser,
  accountId: string,
  userId: string,
  raw: unknown,
): Promise<MemberView & { previousRole: Role }> {
  requireRole(user, accountId, "admin");
  const parsed = z
    .object({ role: z.enum(ROLES) })
    .strict()
    .safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid role", { fields: fieldErrors(parsed.error) });
  const member = await memberOf(env, accountId, userId);
  if (!member) throw new HttpError(404, `no member "${userId}" in "${accountId}"`);
  const { role } = parsed.data;
  const db = getDb(env);
  const full = await db.select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, userId)).get();
  if (member.role === role) return { userId, email: member.email, name: full?.name ?? "", role, previousRole: role };
  if (member.role === "admin" && (await adminCount(env, accountId)) <= 1) throw new HttpError(409, LAST_ADMIN);
  // The guard in SQL as well: never demote the last admin, even when two admins act at once.
  const updated = await db
    .update(schema.memberships)
    .set({ role })
    .where(
      and(
        eq(schema.memberships.accountId, accountId),
        eq(schema.memberships.userId, userId),
        member.role === "admin" ? sqlMoreThanOneAdmin(accountId) : undefined,
      ),
    )
    .returning({ role: schema.memberships.role });
  if (!updated[0]) throw new HttpError(409, LAST_ADMIN);
  await auditIdentity(env, accountId, actorOf(user), "member.role_changed", {
    before: { email: member.email, role: member.role },
    after: { email: member.email, role },
    artifact: `members/${userId}`,
  });
  return { userId, email: member.email, name: full?.name ?? "", role, previousRole: member.role };
}

/** Removes a membership (never the last admin). Their delegated connections go too: worker/delegation/admin.ts removeMemberWithConnections. */
export async function removeMember(env: Env, user: SessionUser, accountId: string, userId: string): Promise<{ email: string }> {
  requireRole(user, accountId, "admin");
  const member = await memberOf(env, accountId, userId);
  if (!member) throw new HttpError(404, `no member "${userId}" in "${accountId}"`);
  if (member.role === "admin" && (await adminCount(env, accountId)) <= 1) throw new HttpError(409, LAST_ADMIN);
  const db = getDb(env);
  const deleted = await db
    .delete(schema.memberships)
    .where(
      and(
        eq(schema.memberships.accountId, accountId),
        eq(schema.memberships.userId, userId),
        member.role === "admin" ? sqlMoreThanOneAdmin(accountId) : undefined,
      ),
    )
    .returning({ userId: schema.memberships.userId });
  if (!deleted[0]) throw new HttpError(409, LAST_ADMIN);
  // Their API tokens for this account die with the membership (they would be refused anyway).
  await revokeTokensOf(env, userId, accountId);
  await auditIdentity(env, accountId, actorOf(user), "member.removed", { before: { email: member.email, role: member.role }, artifact: `members/${userId}` });
  return { email: member.email };
}

function sqlMoreThanOneAdmin(accountId: string) {
  return sql`(select count(*) from memberships where account_id = ${accountId} and role = 'admin') > 1`;
}

// ── accepting an invitation ─────────────────────────────────────────────────

export type InvitationLookup =
  | { ok: true; invitation: { id: string; accountId: string; accountName: string; email: string; role: Role; expiresAt: string }; existingUser: boolean }
  | { ok: false; reason: string };

/** What the invite page shows for a link: who it is for and which account, or why it no longer works. */
export async function findInvitation(env: Env, token: string): Promise<InvitationLookup> {
  if (!token.startsWith(INVITE_PREFIX) || token.length > 128) return { ok: false, reason: "This invitation link is not valid." };
  const db = getDb(env);
  const row = await db
    .select({ invitation: schema.invitations, accountName: schema.accounts.name })
    .from(schema.invitations)
    .innerJoin(schema.accounts, eq(schema.accounts.id, schema.invitations.accountId))
    .where(eq(schema.invitations.tokenHash, await sha256Hex(token)))
    .get();
  if (!row) return { ok: false, reason: "This invitation link is not valid, or it was replaced by a newer one." };
  if (row.invitation.acceptedAt) return { ok: false, reason: "This invitation has already been used." };
  if (row.invitation.expiresAt <= new Date().toISOString()) return { ok: false, reason: "This invitation has expired: ask an admin for a new one." };
  const user = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, row.invitation.email)).get();
  const { id, accountId, email, role, expiresAt } = row.invitation;
  return { ok: true, invitation: { id, accountId, accountName: row.accountName, email, role, expiresAt }, existingUser: !!user };
}

const newUserSchema = z.object({
  name: z.string().trim().min(1, "enter your name").max(100),
  password: z.string().min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`).max(200),
});

/**
 * Accepts an invitation: as the signed-in user (whose email must be the
 * invited one), or as a new user who sets a name and password here. Never
 * touches an existing user's password. Returns the user id to sign in.
 */
export async function acceptInvitation(
  env: Env,
  token: string,
  as: { user: SessionUser } | { newUser: { name: string; password: string } },
): Promise<{ userId: string; accountId: string; role: Role }> {
  const found = await findInvitation(env, token);
  if (!found.ok) throw new HttpError(410, found.reason);
  const { invitation } = found;
  const db = getDb(env);

  let userId: string;
  let email: string;
  let create: { id: string; email: string; name: string; passwordHash: string } | null = null;
  if ("user" in as) {
    if (as.user.email.toLowerCase() !== invitation.email) {
      throw new HttpError(403, `this invitation is for ${invitation.email}; you are signed in as ${as.user.email}`);
    }
    userId = as.user.id;
    email = as.user.email;
  } else {
    if (found.existingUser) throw new HttpError(409, `${invitation.email} already has a sign-in: sign in first, then open this link again`);
    const parsed = newUserSchema.safeParse(as.newUser);
    if (!parsed.success) throw new HttpError(400, "invalid sign-up", { fields: fieldErrors(parsed.error) });
    userId = `u_${randomToken(8)}`;
    email = invitation.email;
    create = { id: userId, email, name: parsed.data.name, passwordHash: await hashPassword(parsed.data.password) };
  }

  // One use only, in one transaction: the conditional update is the claim. A
  // concurrent second sign-up fails on the unique email and rolls back whole.
  const claim = db.batch([
    db
      .update(schema.invitations)
      .set({ acceptedAt: new Date().toISOString() })
      .where(and(eq(schema.invitations.id, invitation.id), isNull(schema.invitations.acceptedAt)))
      .returning({ id: schema.invitations.id }),
    ...(create ? [db.insert(schema.users).values(create)] : []),
    db.insert(schema.memberships).values({ userId, accountId: invitation.accountId, role: invitation.role }).onConflictDoNothing(),
  ]);
  let claimed: { id: string }[];
  try {
    [claimed] = await claim;
  } catch (err) {
    if (String(err).includes("UNIQUE")) throw new HttpError(410, "This invitation has already been used.");
    throw err;
  }
  if (!claimed[0]) throw new HttpError(410, "This invitation has already been used.");
  await auditIdentity(env, invitation.accountId, `user:${email}`, "member.joined", {
    after: { email, role: invitation.role, invitation: invitation.id, newUser: !!create },
    artifact: `members/${userId}`,
  });
  return { userId, accountId: invitation.accountId, role: invitation.role };
}
