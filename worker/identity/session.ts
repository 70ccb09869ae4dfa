// Sessions: a random token in an HttpOnly cookie, its SHA-256 in D1.
// A session ends at the first of: sign-out, "sign out everywhere", 12 hours
// after sign-in (absolute), or 2 hours without a request (idle). Every sign-in
// makes a new session id; the one the browser carried before is deleted.
import { and, eq, lt, or } from "drizzle-orm";
import { randomToken, sha256Hex } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
import { ROLE_RANK, type Role, type SessionUser } from "../domain/types";
import { verifyPassword } from "./password";

const SESSION_COOKIE = "st_session";
const SESSION_TTL_SECONDS = 12 * 60 * 60;
const SESSION_IDLE_SECONDS = 2 * 60 * 60;
/** lastSeenAt is written at most this often per session (one D1 write a minute, not one per request). */
const TOUCH_EVERY_MS = 60_000;
/** Personal API tokens start with this; they are never session tokens (worker/identity/api-tokens.ts). */
export const PAT_PREFIX = "st_pat_";

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      try {
        return decodeURIComponent(v.join("="));
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The `Authorization: Bearer` value, if any. */
export function bearerToken(request: Request): string | null {
  const auth = request.headers.get("authorization");
  if (!auth?.toLowerCase().startsWith("bearer ")) return null;
  return auth.slice(7).trim() || null;
}

/**
 * The session token from `Authorization: Bearer` (scripts) or the cookie. A
 * personal API token in the header is not a session: no fallback to the cookie then.
 */
function sessionToken(request: Request): string | null {
  const bearer = bearerToken(request);
  if (bearer) return bearer.startsWith(PAT_PREFIX) ? null : bearer;
  return readCookie(request, SESSION_COOKIE);
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Plain http on the developer's own machine; everywhere else cookies are Secure. */
export function isLocalDevelopment(url: URL): boolean {
  return url.protocol === "http:" && (LOCAL_HOSTS.has(url.hostname) || url.hostname.endsWith(".localhost"));
}

function cookieAttributes(request: Request, maxAge: number): string {
  const secure = isLocalDevelopment(new URL(request.url)) ? "" : "; Secure";
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

/**
 * Creates a session and returns the token and the Set-Cookie header value.
 * Always a new id (no session fixation): the session of the cookie the request
 * carried, if any, is deleted, and so are the user's sessions that have run out.
 */
export async function createSession(env: Env, request: Request, userId: string) {
  const db = getDb(env);
  const token = randomToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000).toISOString();
  const idleCutoff = new Date(now.getTime() - SESSION_IDLE_SECONDS * 1000).toISOString();
  const previous = readCookie(request, SESSION_COOKIE);
  const previousId = previous && previous.length <= 128 ? await sha256Hex(previous) : null;
  await db.batch([
    db.delete(schema.sessions).where(eq(schema.sessions.id, previousId ?? "")),
    db
      .delete(schema.sessions)
      .where(and(eq(schema.sessions.userId, userId), or(lt(schema.sessions.expiresAt, now.toISOString()), lt(schema.sessions.lastSeenAt, idleCutoff)))),
    db.insert(schema.sessions).values({ id: await sha256Hex(token), userId, expiresAt, lastSeenAt: now.toISOString() }),
  ]);
  return { token, expiresAt, cookie: `${SESSION_COOKIE}=${token}; ${cookieAttributes(request, SESSION_TTL_SECONDS)}` };
}

/** The Set-Cookie value that removes the session cookie. */
export function clearSessionCookie(request: Request): string {
  return `${SESSION_COOKIE}=; ${cookieAttributes(request, 0)}`;
}

export async function destroySession(env: Env, request: Request): Promise<string> {
  const token = sessionToken(request);
  if (token && token.length <= 128)
    await getDb(env)
      .delete(schema.sessions)
      .where(eq(schema.sessions.id, await sha256Hex(token)));
  return clearSessionCookie(request);
}

/** "Sign out everywhere": ends every session of the user (API tokens are separate and stay). */
export async function revokeAllSessions(env: Env, userId: string): Promise<number> {
  const deleted = await getDb(env).delete(schema.sessions).where(eq(schema.sessions.userId, userId)).returning({ id: schema.sessions.id });
  return deleted.length;
}

export interface LoadedSession {
  user: SessionUser;
  /** The session's id (the SHA-256 of its token), never the token. */
  sessionId: string;
}

/** The session of the request with its user and memberships, or null (expired and idle sessions are deleted). */
export async function loadSession(env: Env, request: Request): Promise<LoadedSession | null> {
  const token = sessionToken(request);
  if (!token || token.length > 128) return null;
  return loadSessionById(env, await sha256Hex(token));
}

export async function loadSessionById(env: Env, sessionId: string, touch = true): Promise<LoadedSession | null> {
  const db = getDb(env);
  const rows = await db
    .select({
      user: { id: schema.users.id, email: schema.users.email, name: schema.users.name },
      session: { expiresAt: schema.sessions.expiresAt, lastSeenAt: schema.sessions.lastSeenAt, createdAt: schema.sessions.createdAt },
      accountId: schema.memberships.accountId,
      role: schema.memberships.role,
      accountName: schema.accounts.name,
    })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .leftJoin(schema.memberships, eq(schema.memberships.userId, schema.users.id))
    .leftJoin(schema.accounts, eq(schema.accounts.id, schema.memberships.accountId))
    .where(eq(schema.sessions.id, sessionId));
  const first = rows[0];
  if (!first) return null;
  const nowMs = Date.now();
  const lastSeenMs = Date.parse(first.session.lastSeenAt ?? first.session.createdAt);
  if (Date.parse(first.session.expiresAt) <= nowMs || nowMs - lastSeenMs >= SESSION_IDLE_SECONDS * 1000) {
    await db.delete(schema.sessions).where(eq(schema.sessions.id, sessionId));
    return null;
  }
  if (touch && nowMs - lastSeenMs >= TOUCH_EVERY_MS) {
    await db
      .update(schema.sessions)
      .set({ lastSeenAt: new Date(nowMs).toISOString() })
      .where(eq(schema.sessions.id, sessionId));
  }
  return {
    sessionId,
    user: {
      id: first.user.id,
      email: first.user.email,
      name: first.user.name,
      memberships: rows
        .filter((r) => r.accountId && r.role)
        .map((r) => ({ accountId: r.accountId!, accountName: r.accountName ?? r.accountId!, role: r.role as Role })),
    },
  };
}

/** The signed-in user with their memberships, or null. Sessions only: a personal API token is not a sign-in. */
export async function getSessionUser(env: Env, request: Request): Promise<SessionUser | null> {
  return (await loadSession(env, request))?.user ?? null;
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
