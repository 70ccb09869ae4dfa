// Admins change an account's operating controls, operators the platform's
// global kill switch (the settings tables' one writer; reading them is
// worker/policy/operating-state.ts). Every change is audited; lifting a switch
// or a limit wakes paused tasks and starts waiting ones.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { unavailableDraftingModel } from "../agent/models/model";
import { auditInsert } from "../audit/audit-trail";
import { getDb, schema } from "../db/client";
import { RESUME_EVENT } from "../domain/decision-events";
import { fieldErrors, HttpError } from "../domain/errors";
import { ACCOUNT_CATEGORY_LIMITS, OPERATING_LIMITS } from "../domain/operating-limits";
import type { SessionUser } from "../domain/types";
import { actorOf, requireRole } from "../identity/session";
import { accountCategorySchema, policySchema } from "../policy/account-policy";
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

/** Parts of the policy a client that predates them leaves out: a policy without them keeps the saved ones. */
const KEPT_WHEN_ABSENT = ["categories", "languageQueues", "categoryQueues", "draftingModel", "samples"] as const;

/** Admins change an account's controls; a frozen account only accepts unfreezing. */
export async function updateOperations(env: Env, user: SessionUser, accountId: string, raw: unknown): Promise<OperatingState> {
  requireRole(user, accountId, "admin");
  const before = await operatingState(env, accountId);
  const parsed = operationsPatchSchema.safeParse(keepAbsentPolicyParts(raw, before));
  if (!parsed.success) {
    throw new HttpError(400, "invalid settings", { fields: fieldErrors(parsed.error) });
  }
  const patch = parsed.data;
  if (before.frozen && !(Object.keys(patch).length === 1 && patch.frozen === false)) {
    throw new HttpError(423, `account "${accountId}" is frozen: unfreeze it before changing anything else`);
  }
  if (patch.policy) refuseUnavailableModel(env, before, patch.policy.draftingModel);
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

/**
 * A drafting model this Worker cannot serve (no key, no binding) is refused
 * when chosen. One chosen earlier stays saved if it became unavailable (the
 * drafter then falls back to the offline model and says so), so the rest of the
 * policy can still be changed.
 */
function refuseUnavailableModel(env: Env, before: OperatingState, next: OperatingState["policy"]["draftingModel"]) {
  const saved = before.policy.draftingModel;
  if (next.provider === saved.provider && next.workersAiModel === saved.workersAiModel) return;
  const why = unavailableDraftingModel(env, next);
  if (why) throw new HttpError(409, why, { fields: [{ path: "policy.draftingModel.provider", message: why }] });
}

function keepAbsentPolicyParts(raw: unknown, before: OperatingState): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const policy = (raw as { policy?: unknown }).policy;
  if (!policy || typeof policy !== "object" || Array.isArray(policy)) return raw;
  const kept = Object.fromEntries(KEPT_WHEN_ABSENT.filter((k) => !(k in policy)).map((k) => [k, before.policy[k]]));
  return { ...raw, policy: { ...policy, ...kept } };
}

/**
 * Adds an account category, or replaces the one now called `originalId`
 * (its id may change). Refusals name the form's fields: `category.name`, …
 */
export async function saveAccountCategory(env: Env, user: SessionUser, accountId: string, originalId: string | null, raw: unknown): Promise<OperatingState> {
  requireRole(user, accountId, "admin");
  const parsed = accountCategorySchema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(400, "invalid category", { fields: fieldErrors(parsed.error).map(categoryField) });
  }
  const category = parsed.data;
  const { policy } = await operatingState(env, accountId);
  const categories = [...policy.categories];
  const at = originalId ? categories.findIndex((c) => c.id === originalId) : -1;
  if (originalId && at < 0) throw new HttpError(404, `no category "${originalId}" in account "${accountId}"`);
  if (categories.some((c, i) => c.id === category.id && i !== at)) {
    throw new HttpError(400, "invalid category", { fields: [{ path: "category.id", message: `another category already has the id "${category.id}"` }] });
  }
  if (at < 0 && categories.length >= ACCOUNT_CATEGORY_LIMITS.maxCategories) {
    throw new HttpError(400, "invalid category", {
      fields: [{ path: "category", message: `at most ${ACCOUNT_CATEGORY_LIMITS.maxCategories} categories: delete one first` }],
    });
  }
  if (at < 0) categories.push(category);
  else categories[at] = category;
  return updateOperations(env, user, accountId, { policy: { ...policy, categories } });
}

/** A category's field error as the form names it: examples are one field (one per line), so "examples.2" becomes "example 3: …". */
function categoryField(f: { path: string; message: string }) {
  const example = f.path.match(/^examples\.(\d+)$/);
  if (example) return { path: "category.examples", message: `example ${Number(example[1]) + 1}: ${f.message}` };
  return { ...f, path: f.path ? `category.${f.path}` : "category" };
}

/** Deletes an account category; its tickets keep the id they were given. */
export async function deleteAccountCategory(env: Env, user: SessionUser, accountId: string, id: string): Promise<OperatingState> {
  requireRole(user, accountId, "admin");
  const { policy } = await operatingState(env, accountId);
  if (!policy.categories.some((c) => c.id === id)) throw new HttpError(404, `no category "${id}" in account "${accountId}"`);
  return updateOperations(env, user, accountId, { policy: { ...policy, categories: policy.categories.filter((c) => c.id !== id) } });
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
