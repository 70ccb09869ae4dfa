// Sessions: a random token in an HttpOnly cookie, its SHA-256 in D1.
import { and, eq, gt } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { randomToken, sha256Hex } from "../lib/crypto";
import { HttpError } from "../lib/http";
import { ROLE_RANK, type Role, type SessionUser } from "../types";
import { verifyPassword } from "./password";

export const SESSION_COOKIE = "st_session";
const SESSION_TTL_SECONDS = 12 * 60 * 60;

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

/** The session token from the cookie, or from `Authorization: Bearer` for scripts. */
function sessionToken(request: Request): string | null {
  const auth = request.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer ")) return auth.slice(7).trim() || null;
  return readCookie(request, SESSION_COOKIE);
}

function cookieAttributes(request: Request, maxAge: number): string {
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

export async function checkCredentials(env: Env, email: string, password: string) {
  const db = getDb(env);
  const user = await db.query.users.findFirst({ where: eq(schema.users.email, email.trim().toLowerCase()) });
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  return ok && user ? user : null;
}
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Creates a session and returns the token and the Set-Cookie header value. */
export async function createSession(env: Env, request: Request, userId: string) {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000).toISOString();
  await getDb(env).insert(schema.sessions).values({ id: await sha256Hex(token), userId, expiresAt });
  return { token, expiresAt, cookie: `${SESSION_COOKIE}=${token}; ${cookieAttributes(request, SESSION_TTL_SECONDS)}` };
}

export async function destroySession(env: Env, request: Request): Promise<string> {
  const token = sessionToken(request);
  if (token) await getDb(env).delete(schema.sessions).where(eq(schema.sessions.id, await sha256Hex(token)));
  return `${SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`;
}

/** The signed-in user with their memberships, or null. */
export async function getSessionUser(env: Env, request: Request): Promise<SessionUser | null> {
  const token = sessionToken(request);
  if (!token || token.length > 128) return null;
  const db = getDb(env);
  const now = new Date().toISOString();
  const rows = await db
    .select({ user: schema.users, accountId: schema.memberships.accountId, role: schema.memberships.role, accountName: schema.accounts.name })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .leftJoin(schema.memberships, eq(schema.memberships.userId, schema.users.id))
    .leftJoin(schema.accounts, eq(schema.accounts.id, schema.memberships.accountId))
    .where(and(eq(schema.sessions.id, await sha256Hex(token)), gt(schema.sessions.expiresAt, now)));
  const first = rows[0];
  if (!first) return null;
  return {
    id: first.user.id,
    email: first.user.email,
    name: first.user.name,
    memberships: rows
      .filter((r) => r.accountId && r.role)
      .map((r) => ({ accountId: r.accountId!, accountName: r.accountName ?? r.accountId!, role: r.role as Role })),
  };
}

/** The user's role in an account if it is at least `min`; otherwise 403 (or 404 for strangers). */
export function requireRole(user: SessionUser, accountId: string, min: Role): Role {
  const membership = user.memberships.find((m) => m.accountId === accountId);
  // Strangers learn nothing about whether the account exists.
  if (!membership) throw new HttpError(404, `no account "${accountId}" for this user`);
  if (ROLE_RANK[membership.role] < ROLE_RANK[min]) {
    throw new HttpError(403, `this needs the ${min} role in "${accountId}"; you are ${membership.role}`);
  }
  return membership.role;
}

export async function requireUser(env: Env, request: Request): Promise<SessionUser> {
  const user = await getSessionUser(env, request);
  if (!user) throw new HttpError(401, "sign in first: no valid session");
  return user;
}

export function actorOf(user: SessionUser): string {
  return `user:${user.email}`;
}
