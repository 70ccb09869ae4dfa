// Personal API tokens: `st_pat_<random>`, shown once, stored as SHA-256 only.
// A token acts as its user, confined to one account and to its scopes, and
// never above the user's current role there: when the membership ends, so does
// the token. Tokens cannot mint tokens, and reach only the scoped REST routes.
import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { auditIdentity } from "../audit/audit-trail";
import { randomToken, sha256Hex, toBase64 } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import { API_SCOPES, type ApiScope, SCOPE_INFO, TOKEN_DAYS } from "../domain/api-scopes";
import { fieldErrors, HttpError } from "../domain/errors";
import { ROLE_RANK, type Role, type SessionUser } from "../domain/types";
import { actorOf, PAT_PREFIX, requireRole } from "./session";

/** At most this many live (unrevoked, unexpired) tokens per user and account. */
const MAX_ACTIVE_TOKENS = 20;
/** lastUsedAt is written at most this often per token. */
const TOUCH_EVERY_MS = 60_000;
const TOKEN_SHAPE = /^st_pat_[A-Za-z0-9_-]{43}$/;

export interface ApiTokenView {
  id: string;
  name: string;
  scopes: ApiScope[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
}

/** The request's user as a token presents them: one account, some scopes. */
export interface TokenPrincipal {
  user: SessionUser;
  token: { id: string; name: string; accountId: string; scopes: ApiScope[] };
}

export function isPersonalToken(value: string | null): value is string {
  return !!value && value.startsWith(PAT_PREFIX);
}

function newToken(): string {
  const b64 = toBase64(crypto.getRandomValues(new Uint8Array(32)));
  return PAT_PREFIX + b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function viewOf(row: typeof schema.apiTokens.$inferSelect, nowIso = new Date().toISOString()): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    scopes: (row.scopes ?? []).filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s)),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    status: row.revokedAt ? "revoked" : row.expiresAt <= nowIso ? "expired" : "active",
  };
}

/** Scopes a role may put on a token. */
export function scopesForRole(role: Role): ApiScope[] {
  return API_SCOPES.filter((s) => ROLE_RANK[role] >= ROLE_RANK[SCOPE_INFO[s].minRole]);
}

const createTokenSchema = z
  .object({
    name: z.string().trim().min(1, "give the token a name").max(80),
    scopes: z
      .array(z.enum(API_SCOPES))
      .min(1, "choose at least one scope")
      .max(API_SCOPES.length)
      .refine((s) => new Set(s).size === s.length, "each scope once"),
    expiresInDays: z.number().int().min(TOKEN_DAYS.min).max(TOKEN_DAYS.max).default(TOKEN_DAYS.default),
  })
  .strict();

/** Creates a token for the signed-in user in one account. The token is in the answer and nowhere else. */
export async function createApiToken(env: Env, user: SessionUser, accountId: string, raw: unknown): Promise<{ token: string; apiToken: ApiTokenView }> {
  const role = requireRole(user, accountId, "agent");
  const parsed = createTokenSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid token request", { fields: fieldErrors(parsed.error) });
  const { name, scopes, expiresInDays } = parsed.data;
  const allowed = scopesForRole(role);
  const tooHigh = scopes.filter((s) => !allowed.includes(s));
  if (tooHigh.length) {
    throw new HttpError(403, `your role (${role}) cannot use ${tooHigh.map((s) => `"${s}"`).join(", ")}`, {
      fields: [{ path: "scopes", message: `${tooHigh.join(", ")} need${tooHigh.length === 1 ? "s" : ""} the ${SCOPE_INFO[tooHigh[0]!].minRole} role` }],
    });
  }
  const db = getDb(env);
  const now = new Date();
  const [{ n }] = (await db
    .select({ n: count() })
    .from(schema.apiTokens)
    .where(
      and(
        eq(schema.apiTokens.userId, user.id),
        eq(schema.apiTokens.accountId, accountId),
        isNull(schema.apiTokens.revokedAt),
        gt(schema.apiTokens.expiresAt, now.toISOString()),
      ),
    )) as [{ n: number }];
  if (n >= MAX_ACTIVE_TOKENS) throw new HttpError(409, `you have ${n} active tokens in "${accountId}", the most there can be: revoke one first`);

  const token = newToken();
  const row = {
    id: `tok_${randomToken(8)}`,
    userId: user.id,
    accountId,
    name,
    tokenHash: await sha256Hex(token),
    scopes: [...scopes],
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + expiresInDays * 86_400_000).toISOString(),
  };
  await db.insert(schema.apiTokens).values(row);
  await auditIdentity(env, accountId, actorOf(user), "token.created", {
    after: { id: row.id, name, scopes: row.scopes, expiresAt: row.expiresAt },
    artifact: `tokens/${row.id}`,
  });
  return { token, apiToken: viewOf({ ...row, revokedAt: null, lastUsedAt: null }) };
}

/** The user's own tokens in the account, newest first. Never a token or its hash. */
export async function listApiTokens(env: Env, user: SessionUser, accountId: string): Promise<ApiTokenView[]> {
  requireRole(user, accountId, "agent");
  const rows = await getDb(env)
    .select()
    .from(schema.apiTokens)
    .where(and(eq(schema.apiTokens.userId, user.id), eq(schema.apiTokens.accountId, accountId)))
    .orderBy(desc(schema.apiTokens.createdAt))
    .limit(200);
  const now = new Date().toISOString();
  return rows.map((r) => viewOf(r, now));
}

/** Revokes one of the user's own tokens; 404 for anyone else's. */
export async function revokeApiToken(env: Env, user: SessionUser, accountId: string, tokenId: string): Promise<ApiTokenView> {
  requireRole(user, accountId, "agent");
  const db = getDb(env);
  const mine = and(eq(schema.apiTokens.id, tokenId), eq(schema.apiTokens.userId, user.id), eq(schema.apiTokens.accountId, accountId));
  const row = await db.select().from(schema.apiTokens).where(mine).get();
  if (!row) throw new HttpError(404, `no token "${tokenId}" of yours in "${accountId}"`);
  if (row.revokedAt) return viewOf(row);
  const revokedAt = new Date().toISOString();
  await db
    .update(schema.apiTokens)
    .set({ revokedAt })
    .where(and(mine, isNull(schema.apiTokens.revokedAt)));
  await auditIdentity(env, accountId, actorOf(user), "token.revoked", { before: { id: row.id, name: row.name }, artifact: `tokens/${row.id}` });
  return viewOf({ ...row, revokedAt });
}

/** Revokes every token a user holds in an account (when they leave it). */
export async function revokeTokensOf(env: Env, userId: string, accountId: string): Promise<void> {
  await getDb(env)
    .update(schema.apiTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(schema.apiTokens.userId, userId), eq(schema.apiTokens.accountId, accountId), isNull(schema.apiTokens.revokedAt)));
}

/**
 * The principal of a personal API token, or 401: unknown, malformed, expired
 * or revoked tokens, and tokens whose user is no longer a member of the account.
 */
export async function authenticateApiToken(env: Env, token: string): Promise<TokenPrincipal> {
  const refused = new HttpError(401, "invalid API token: unknown, expired or revoked");
  if (!TOKEN_SHAPE.test(token)) throw refused;
  const db = getDb(env);
  const row = await db
    .select({
      token: schema.apiTokens,
      user: { id: schema.users.id, email: schema.users.email, name: schema.users.name },
      role: schema.memberships.role,
      accountName: schema.accounts.name,
    })
    .from(schema.apiTokens)
    .innerJoin(schema.users, eq(schema.users.id, schema.apiTokens.userId))
    .leftJoin(schema.memberships, and(eq(schema.memberships.userId, schema.apiTokens.userId), eq(schema.memberships.accountId, schema.apiTokens.accountId)))
    .leftJoin(schema.accounts, eq(schema.accounts.id, schema.apiTokens.accountId))
    .where(eq(schema.apiTokens.tokenHash, await sha256Hex(token)))
    .get();
  const nowMs = Date.now();
  if (!row || row.token.revokedAt || Date.parse(row.token.expiresAt) <= nowMs || !row.role) throw refused;
  if (!row.token.lastUsedAt || nowMs - Date.parse(row.token.lastUsedAt) >= TOUCH_EVERY_MS) {
    await db
      .update(schema.apiTokens)
      .set({ lastUsedAt: new Date(nowMs).toISOString() })
      .where(eq(schema.apiTokens.id, row.token.id));
  }
  const view = viewOf(row.token);
  return {
    // Only the token's account: every other account answers 404, as for strangers.
    user: { ...row.user, memberships: [{ accountId: row.token.accountId, accountName: row.accountName ?? row.token.accountId, role: row.role }] },
    token: { id: row.token.id, name: row.token.name, accountId: row.token.accountId, scopes: view.scopes },
  };
}
