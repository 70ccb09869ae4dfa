// How the Workflow, the drafter's tool and MCP look up an entitlement: through
// the account agent, which caches the outside billing sources' answers five
// minutes (stores/entitlement-cache.ts). The Workflow's lookup is logged to the
// tool log with whether the cache answered and which source did.
import { toolLogInserts } from "../audit/tool-log";
import { BillingSourceError } from "../billing/source-common";
import { getDb } from "../db/client";
import type { Entitlement } from "../domain/types";
import { accountAgent, type EntitlementAnswer } from "./stubs";

export type CacheUse = Extract<EntitlementAnswer, { ok: true }>["cache"];

/** The entitlement (and whether the cache answered), or a BillingSourceError saying why the source could not. */
export async function entitlementOf(env: Env, accountId: string, email: string): Promise<{ entitlement: Entitlement; cache: CacheUse }> {
  const answer = await (await accountAgent(env, accountId)).entitlementFor(email);
  if (!answer.ok) throw new BillingSourceError(answer.error, answer.retryable);
  return { entitlement: answer.entitlement, cache: answer.cache };
}

/**
 * The Workflow's lookup for a task: one `lookup_entitlement` row in the tool
 * log (actor `workflow`), with the cache's part and the source in its output,
 * whether it answered or failed.
 */
export async function entitlementForTask(env: Env, accountId: string, taskId: string, email: string): Promise<Entitlement> {
  const started = Date.now();
  const log = (outcome: "ok" | "error", output: Record<string, unknown>) => {
    const db = getDb(env);
    const [first, ...rest] = toolLogInserts(db, [
      { accountId, taskId, tool: "lookup_entitlement", input: { email }, outcome, output, durationMs: Date.now() - started, actor: "workflow" },
    ]);
    return db.batch([first!, ...rest]);
  };
  try {
    const { entitlement, cache } = await entitlementOf(env, accountId, email);
    await log("ok", { ...entitlement, source: entitlement.source ?? "builtin", cache });
    return entitlement;
  } catch (err) {
    await log("error", { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
