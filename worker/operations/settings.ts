// Admins change an account's operating controls, operators the platform's
// global kill switch (the settings tables' one writer; reading them is
// worker/policy/operating-state.ts). Every change is audited; lifting a switch
// or a limit wakes paused tasks and starts waiting ones.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { auditInsert } from "../audit/audit-trail";
import { getDb, schema } from "../db/client";
import { RESUME_EVENT } from "../domain/decision-events";
import { fieldErrors, HttpError } from "../domain/errors";
import { OPERATING_LIMITS } from "../domain/operating-limits";
import type { SessionUser } from "../domain/types";
import { actorOf, requireRole } from "../identity/session";
import { policySchema } from "../policy/account-policy";
import { GLOBAL_KILL_SWITCH, isKilled, type OperatingState, operatingState } from "../policy/operating-state";
import { releaseWaitingTasks } from "../triage/admission";
import { signalTriage } from "../triage/client";

const operationsPatchSchema = z
  .object({
    killSwitch: z.boolean(),
    rolloutPercent: z.number().int().min(OPERATING_LIMITS.rolloutPercent.min).max(OPERATING_LIMITS.rolloutPercent.max),
    ticketsPerMinute: z.number().int().min(OPERATING_LIMITS.ticketsPerMinute.min).max(OPERATING_LIMITS.ticketsPerMinute.max),
    decisionsPerMinute: z.number().int().min(OPERATING_LIMITS.decisionsPerMinute.min).max(OPERATING_LIMITS.decisionsPerMinute.max),
    maxInFlight: z.number().int().min(OPERATING_LIMITS.maxInFlight.min).max(OPERATING_LIMITS.maxInFlight.max),
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
    throw new HttpError(400, "invalid settings", { fields: fieldErrors(parsed.error) });
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
  await auditInsert(db, { accountId, actor, action: "operations.updated", before: was, after: changed, artifact: `accounts/${accountId}/settings` });
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
  await auditInsert(db, { accountId: "*", actor, action: on ? "global_kill_switch.on" : "global_kill_switch.off", after: { on } });
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
