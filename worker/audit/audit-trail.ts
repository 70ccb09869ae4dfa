// The audit trail (D1 `audit_events`): who did what to which artifact, with
// before and after. This module is its one writer; others read it (figures,
// export). An entry with a dedupe key is written once, however often a
// retried step records it.
import { type Db, getDb, schema } from "../db/client";
import type { Json } from "../domain/types";

export type AuditEntry = typeof schema.auditEvents.$inferInsert;

/** The insert of one entry, for a caller's batch (a repeated dedupe key is ignored). */
export function auditInsert(db: Db, entry: AuditEntry) {
  return db.insert(schema.auditEvents).values(entry).onConflictDoNothing();
}

/** The same insert as a plain prepared statement, for intake's one D1 batch (no ORM on that hot path). */
export function auditStatement(
  d1: D1Database,
  e: { accountId: string; taskId: string | null; actor: string; action: string; after: Json; artifact: string; dedupeKey: string },
) {
  return d1
    .prepare(
      "insert into audit_events (account_id, task_id, actor, action, after, artifact, dedupe_key) values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict do nothing",
    )
    .bind(e.accountId, e.taskId, e.actor, e.action, JSON.stringify(e.after), e.artifact, e.dedupeKey);
}

/** Records one entry now. */
async function recordAudit(env: Env, entry: AuditEntry): Promise<void> {
  await auditInsert(getDb(env), entry);
}

/** An entry about people and access (members, invitations, tokens, connections, MCP grants): not tied to a task. */
export async function auditIdentity(
  env: Env,
  accountId: string,
  actor: string,
  action: string,
  change: { before?: Json; after?: Json; artifact?: string },
): Promise<void> {
  await recordAudit(env, { accountId, actor, action, before: change.before ?? null, after: change.after ?? null, artifact: change.artifact ?? null });
}
