// Password sign-in attempt limits, in fixed 15-minute windows in D1
// (login_attempts): at most 5 per email address and 20 per client IP.
//
// checkLoginAllowed counts the attempt before the password is checked (one
// atomic upsert per key, so parallel guesses cannot slip past the limit);
// recordLoginAttempt then settles it: a success clears the address's counter
// and gives the IP its slot back, so only failures add up. Used by
// POST /api/session and the dashboard's /login action alike.
import { and, eq, lt, sql } from "drizzle-orm";
import { sha256Hex } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";

const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  perAddress: 5,
  perIp: 20,
} as const;

export type LoginCheck = { ok: true } | { ok: false; retryAfterSeconds: number; message: string; limitedBy: "address" | "ip" };

/** The client's IP as Cloudflare reports it; "unknown" when there is none (local tools). */
function clientIp(request: Request): string {
  return request.headers.get("cf-connecting-ip")?.trim() || "unknown";
}

async function keysOf(request: Request, email: string) {
  // Hashed: the table never holds the addresses people typed.
  return { address: `email:${(await sha256Hex(email.trim().toLowerCase())).slice(0, 32)}`, ip: `ip:${clientIp(request)}` };
}

function currentWindow(nowMs: number) {
  const window = Math.floor(nowMs / 1000 / LOGIN_LIMITS.windowSeconds);
  const retryAfterSeconds = Math.max(1, Math.ceil((window + 1) * LOGIN_LIMITS.windowSeconds - nowMs / 1000));
  return { window, retryAfterSeconds };
}

/** Counts one sign-in attempt for the address and the IP; refuses past either limit. */
export async function checkLoginAllowed(env: Env, request: Request, email: string, nowMs = Date.now()): Promise<LoginCheck> {
  const db = getDb(env);
  const { window, retryAfterSeconds } = currentWindow(nowMs);
  const keys = await keysOf(request, email);
  const bump = (key: string) =>
    db
      .insert(schema.loginAttempts)
      .values({ key, window, count: 1 })
      .onConflictDoUpdate({ target: [schema.loginAttempts.key, schema.loginAttempts.window], set: { count: sql`${schema.loginAttempts.count} + 1` } })
      .returning({ count: schema.loginAttempts.count });
  const [address, ip] = await db.batch([bump(keys.address), bump(keys.ip), db.delete(schema.loginAttempts).where(lt(schema.loginAttempts.window, window))]);
  const minutes = Math.ceil(retryAfterSeconds / 60);
  if ((address[0]?.count ?? 0) > LOGIN_LIMITS.perAddress) {
    return {
      ok: false,
      limitedBy: "address",
      retryAfterSeconds,
      message: `too many sign-in attempts for this email address: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
    };
  }
  if ((ip[0]?.count ?? 0) > LOGIN_LIMITS.perIp) {
    return {
      ok: false,
      limitedBy: "ip",
      retryAfterSeconds,
      message: `too many sign-in attempts from your network: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
    };
  }
  return { ok: true };
}

/** Settles an attempt counted by checkLoginAllowed: a success clears the address and frees the IP's slot. */
export async function recordLoginAttempt(env: Env, request: Request, email: string, succeeded: boolean, nowMs = Date.now()): Promise<void> {
  if (!succeeded) return; // already counted
  const db = getDb(env);
  const { window } = currentWindow(nowMs);
  const keys = await keysOf(request, email);
  await db.batch([
    db.delete(schema.loginAttempts).where(eq(schema.loginAttempts.key, keys.address)),
    db
      .update(schema.loginAttempts)
      .set({ count: sql`max(${schema.loginAttempts.count} - 1, 0)` })
      .where(and(eq(schema.loginAttempts.key, keys.ip), eq(schema.loginAttempts.window, window))),
  ]);
}

/** The 429 for the REST API, with Retry-After. */
export function loginLimitError(check: Extract<LoginCheck, { ok: false }>): HttpError {
  return new HttpError(429, check.message, { retryAfter: check.retryAfterSeconds }, { "retry-after": String(check.retryAfterSeconds) });
}
