// The operating controls of an account (and the platform's global kill
// switch), read from D1 at request time so they change without a deploy.
// Every change is audited.
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { accountAgent } from "../agent/stubs";
import { actorOf, requireRole } from "../auth/session";
import { getDb, schema } from "../db/client";
import { HttpError } from "../lib/http";
import { policySchema, readPolicy, type AccountPolicy } from "../policy/account-policy";
import type { SessionUser } from "../types";
import { signalTriage, startTriage } from "../workflows/start";
import { RESUME_EVENT } from "../workflows/events";

export const GLOBAL_KILL_SWITCH = "global_kill_switch";

export interface OperatingState {
  accountId: string;
  killSwitch: boolean;
  globalKillSwitch: boolean;
  rolloutPercent: number;
  ticketsPerMinute: number;
  decisionsPerMinute: number;
  maxInFlight: number;
  frozen: boolean;
  policy: AccountPolicy;
  updatedAt: string | null;
  updatedBy: string | null;
}

const DEFAULTS = { killSwitch: false, rolloutPercent: 100, ticketsPerMinute: 120, decisionsPerMinute: 30, maxInFlight: 50, frozen: false };

export async function operatingState(env: Env, accountId: string): Promise<OperatingState> {
  // Plain prepared statements: every Workflow step and decision reads this, and the ORM's query building cost more than the query.
  const [settings, global] = await env.DB.batch([
    env.DB.prepare(
      "select kill_switch, rollout_percent, tickets_per_minute, decisions_per_minute, max_in_flight, frozen, policy, updated_at, updated_by from account_settings where account_id = ?1",
    ).bind(accountId),
    env.DB.prepare("select value from system_settings where key = ?1").bind(GLOBAL_KILL_SWITCH),
  ]);
  return operatingStateFromRaw(accountId, settings!.results[0] as RawSettingsRow | undefined, global!.results[0] as { value: string } | undefined);
}

/** account_settings as D1 returns it (snake_case, integers for booleans, JSON as text). */
export interface RawSettingsRow {
  kill_switch: number;
  rollout_percent: number;
  tickets_per_minute: number;
  decisions_per_minute: number;
  max_in_flight: number;
  frozen: number;
  policy: string;
  updated_at: string;
  updated_by: string | null;
}

export function operatingStateFromRaw(accountId: string, s: RawSettingsRow | undefined, g: { value: string } | undefined): OperatingState {
  return operatingStateFrom(
    accountId,
    s && {
      accountId,
      killSwitch: !!s.kill_switch,
      rolloutPercent: s.rollout_percent,
      ticketsPerMinute: s.tickets_per_minute,
      decisionsPerMinute: s.decisions_per_minute,
      maxInFlight: s.max_in_flight,
      frozen: !!s.frozen,
      policy: JSON.parse(s.policy) as unknown,
      updatedAt: s.updated_at,
      updatedBy: s.updated_by,
    },
    g && { key: GLOBAL_KILL_SWITCH, value: JSON.parse(g.value) as unknown, updatedAt: "", updatedBy: null },
  );
}

type SettingsRow = typeof schema.accountSettings.$inferSelect;
type SystemRow = typeof schema.systemSettings.$inferSelect;

/** The same state from rows a caller already read (intake reads them in its one batch). */
export function operatingStateFrom(accountId: string, row: SettingsRow | undefined, global: SystemRow | undefined): OperatingState {
  return {
    accountId,
    killSwitch: row?.killSwitch ?? DEFAULTS.killSwitch,
    globalKillSwitch: global?.value === true,
    rolloutPercent: row?.rolloutPercent ?? DEFAULTS.rolloutPercent,
    ticketsPerMinute: row?.ticketsPerMinute ?? DEFAULTS.ticketsPerMinute,
    decisionsPerMinute: row?.decisionsPerMinute ?? DEFAULTS.decisionsPerMinute,
    maxInFlight: row?.maxInFlight ?? DEFAULTS.maxInFlight,
    frozen: row?.frozen ?? DEFAULTS.frozen,
    policy: readPolicy(row?.policy),
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

export const isKilled = (s: Pick<OperatingState, "killSwitch" | "globalKillSwitch">) => s.killSwitch || s.globalKillSwitch;

export const operationsPatchSchema = z
  .object({
    killSwitch: z.boolean(),
    rolloutPercent: z.number().int().min(0).max(100),
    ticketsPerMinute: z.number().int().min(1).max(10_000),
    decisionsPerMinute: z.number().int().min(1).max(1_000),
    maxInFlight: z.number().int().min(1).max(10_000),
    frozen: z.boolean(),
    policy: policySchema,
  })
  .partial()
  .strict();
export type OperationsPatch = z.infer<typeof operationsPatchSchema>;

/** Admins change an account's controls; a frozen account only accepts unfreezing. */
export async function updateOperations(env: Env, user: SessionUser, accountId: string, raw: unknown): Promise<OperatingState> {
  requireRole(user, accountId, "admin");
  const parsed = operationsPatchSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(400, "invalid settings", { fields: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
  }
  const patch = parsed.data;
  const before = await operatingState(env, accountId);
  if (before.frozen && !(Object.keys(patch).length === 1 && patch.frozen === false)) {
    throw new HttpError(423, `account "${accountId}" is frozen: unfreeze it before changing anything else`);
  }
  const db = getDb(env);
  const actor = actorOf(user);
  const values = { ...patch, updatedAt: new Date().toISOString(), updatedBy: actor };
  await db
    .insert(schema.accountSettings)
    .values({ accountId, ...values })
    .onConflictDoUpdate({ target: schema.accountSettings.accountId, set: values });
  const after = await operatingState(env, accountId);
  const changed = Object.fromEntries(Object.keys(patch).map((k) => [k, (after as unknown as Record<string, unknown>)[k]]));
  const was = Object.fromEntries(Object.keys(patch).map((k) => [k, (before as unknown as Record<string, unknown>)[k]]));
  await db.insert(schema.auditEvents).values({ accountId, actor, action: "operations.updated", before: was, after: changed, artifact: `accounts/${accountId}/settings` });
  // Lifting the kill switch wakes the paused tasks; that or a raised cap lets waiting tickets start.
  if (!isKilled(after)) {
    if (isKilled(before)) await resumePausedTasks(env, accountId);
    await releaseWaitingTasks(env, accountId);
  }
  return after;
}

/** The platform's kill switch: only operators holding OPS_TOKEN can change it (see docs/runbook.md). */
export async function setGlobalKillSwitch(env: Env, on: boolean, actor: string) {
  const db = getDb(env);
  const wasOn = (await db.query.systemSettings.findFirst({ where: eq(schema.systemSettings.key, GLOBAL_KILL_SWITCH) }))?.value === true;
  const values = { value: on, updatedAt: new Date().toISOString(), updatedBy: actor };
  await db
    .insert(schema.systemSettings)
    .values({ key: GLOBAL_KILL_SWITCH, ...values })
    .onConflictDoUpdate({ target: schema.systemSettings.key, set: values });
  await db.insert(schema.auditEvents).values({ accountId: "*", actor, action: on ? "global_kill_switch.on" : "global_kill_switch.off", after: { on } });
  if (!on && wasOn) {
    const accounts = await db.select({ id: schema.accounts.id }).from(schema.accounts);
    for (const a of accounts) {
      await resumePausedTasks(env, a.id);
      await releaseWaitingTasks(env, a.id);
    }
  }
}

/** Wakes the account's running Workflows that paused for a kill switch. */
async function resumePausedTasks(env: Env, accountId: string) {
  const running = await getDb(env)
    .select({ id: schema.tasks.id })
    .from(schema.tasks)
    .where(and(eq(schema.tasks.accountId, accountId), inArray(schema.tasks.status, ["received", "drafting", "awaiting_review", "sending"])));
  for (const { id } of running) {
    try {
      await signalTriage(env, id, { type: RESUME_EVENT, payload: {} });
    } catch {
      // No such instance (yet): it will check the switch when it starts.
    }
  }
}

/**
 * Starts tickets that wait for a slot (queued) or for the kill switch (held),
 * oldest first, while the account has room. Safe to call any time.
 */
export async function releaseWaitingTasks(env: Env, accountId: string, known?: OperatingState, limit = 25): Promise<number> {
  const state = known ?? (await operatingState(env, accountId));
  if (isKilled(state) || state.frozen) return 0;
  const db = getDb(env);
  const waiting = await db
    .select({ id: schema.tasks.id })
    .from(schema.tasks)
    .where(and(eq(schema.tasks.accountId, accountId), inArray(schema.tasks.status, ["queued", "held"])))
    .orderBy(asc(schema.tasks.createdAt))
    .limit(limit);
  const agent = await accountAgent(env, accountId);
  if (!waiting.length) {
    await agent.noneWaiting();
    return 0;
  }
  // The agent hands out free slots once: of several releasers at the same
  // moment, each starts different tickets (none twice, none left waiting).
  const admitted = await agent.admitWaiting(
    waiting.map((w) => w.id),
    state.maxInFlight,
  );
  let started = 0;
  for (const id of admitted) {
    const [moved] = await db
      .update(schema.tasks)
      .set({ status: "received" })
      .where(and(eq(schema.tasks.id, id), inArray(schema.tasks.status, ["queued", "held"])))
      .returning({ id: schema.tasks.id });
    if (!moved) {
      await agent.releaseTask(id);
      continue;
    }
    await startTriage(env, { accountId, taskId: id });
    started++;
  }
  return started;
}
