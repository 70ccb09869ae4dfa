// Internal handoffs (D1 `handoffs`): filed by the drafting agent's
// file_handoff tool, voided when the task ends without a reply. This module
// is the table's one writer.
import { and, eq } from "drizzle-orm";
import { auditInsert } from "../audit/audit-trail";
import { getDb, schema } from "../db/client";

const now = () => new Date().toISOString();

/** Records a filed handoff once (a retried tool call finds it there). */
export async function recordHandoff(env: Env, handoff: typeof schema.handoffs.$inferInsert): Promise<void> {
  await getDb(env).insert(schema.handoffs).values(handoff).onConflictDoNothing();
}

/** Compensation: handoffs filed for a task whose reply never went out are marked void. */
export async function voidHandoffs(env: Env, accountId: string, taskId: string, reason: string) {
  const db = getDb(env);
  const voided = await db
    .update(schema.handoffs)
    .set({ status: "void", voidedAt: now() })
    .where(and(eq(schema.handoffs.taskId, taskId), eq(schema.handoffs.status, "filed")))
    .returning({ id: schema.handoffs.id, artifact: schema.handoffs.artifact });
  for (const h of voided) {
    await auditInsert(db, {
      accountId,
      taskId,
      actor: "workflow",
      action: "handoff.voided",
      after: { reason },
      artifact: h.artifact,
      dedupeKey: `${h.id}:void`,
    });
  }
  return voided.length;
}
