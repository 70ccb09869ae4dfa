// Tickets that wait for a drafting slot (queued) or for a kill switch to lift
// (held) start here, oldest first, while the account has room. Called when a
// task frees its slot (the Workflow) and when an admin lifts a switch or a
// limit (worker/operations).
import { and, asc, eq, inArray } from "drizzle-orm";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import { isKilled, type OperatingState, operatingState } from "../policy/operating-state";
import { admitWaitingTask } from "../tasks/transitions";
import { startTriage } from "./client";

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
    const moved = await admitWaitingTask(env, id);
    if (!moved) {
      await agent.releaseTask(id);
      continue;
    }
    await startTriage(env, { accountId, taskId: id });
    started++;
  }
  return started;
}
