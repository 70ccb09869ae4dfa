// The tool log (D1 `tool_invocations`): every tool call by the account's
// drafting agents and by MCP clients, with input, outcome, output and
// duration; and its latency rollup (D1 `tool_latency`: calls and errors per
// account, hour, tool and duration bucket), written in the same batch so the
// percentiles never drift from the log. This module is the one writer of both.
import { sql } from "drizzle-orm";
import { deleteInBatches } from "../db/batched-delete";
import { type Db, schema } from "../db/client";
import { bucketOf } from "./latency-buckets";

export type ToolLogEntry = typeof schema.toolInvocations.$inferInsert;

type RollupRow = typeof schema.toolLatency.$inferInsert;

/** D1 binds at most 100 parameters per statement: 10 per log row, 6 per rollup row. */
const LOG_ROWS_PER_INSERT = 10;
const ROLLUP_ROWS_PER_UPSERT = 16;

/**
 * The statements that log `entries`, for the caller's one batch: the log's
 * inserts, then the rollup's upserts (one row per account, hour, tool and
 * bucket of the batch, added to what is there). Only calls that ran (ok or
 * error) are timed; refused and skipped calls did no work.
 */
export function toolLogInserts(db: Db, entries: ToolLogEntry[]) {
  // One timestamp for the row and its hour in the rollup (the column's default would be a moment later).
  const now = new Date().toISOString();
  const rows = entries.map((e) => ({ ...e, createdAt: e.createdAt ?? now }));
  const statements = [];
  for (let i = 0; i < rows.length; i += LOG_ROWS_PER_INSERT) {
    statements.push(db.insert(schema.toolInvocations).values(rows.slice(i, i + LOG_ROWS_PER_INSERT)));
  }
  const rollup = latencyRollup(rows);
  const t = schema.toolLatency;
  for (let i = 0; i < rollup.length; i += ROLLUP_ROWS_PER_UPSERT) {
    statements.push(
      db
        .insert(t)
        .values(rollup.slice(i, i + ROLLUP_ROWS_PER_UPSERT))
        .onConflictDoUpdate({
          target: [t.accountId, t.hour, t.tool, t.bucket],
          set: { calls: sql`${t.calls} + excluded.calls`, errors: sql`${t.errors} + excluded.errors` },
        }),
    );
  }
  return statements;
}

/** The batch's calls counted per account, UTC hour (`YYYY-MM-DDTHH`), tool and duration bucket. */
function latencyRollup(rows: (ToolLogEntry & { createdAt: string })[]): RollupRow[] {
  const counts = new Map<string, RollupRow>();
  for (const r of rows) {
    if (r.outcome !== "ok" && r.outcome !== "error") continue;
    const row = { accountId: r.accountId, hour: r.createdAt.slice(0, 13), tool: r.tool, bucket: bucketOf(r.durationMs) };
    const key = JSON.stringify([row.accountId, row.hour, row.tool, row.bucket]);
    const seen = counts.get(key) ?? counts.set(key, { ...row, calls: 0, errors: 0 }).get(key)!;
    seen.calls += 1;
    if (r.outcome === "error") seen.errors += 1;
  }
  return [...counts.values()];
}

/**
 * How long the tool log and its rollup are kept. The Insights report reads 7
 * days; a task's tool calls stay readable for a quarter after it. The audit
 * trail (decisions, sends) is kept apart and is not purged here.
 */
export const TOOL_LOG_KEEP_DAYS = 90;
/** Per hourly run: up to 50 × 500 rows of each table, far above a busy account's hour (about 6,000 calls). */
const PURGE_BATCH = 500;
const PURGE_MAX_BATCHES = 50;

/**
 * Deletes one account's tool-log rows and rollup hours older than the keep
 * days, in bounded batches (a backlog goes over the following runs). Returns
 * how many rows of each went.
 */
export async function deleteOldToolLog(env: Env, accountId: string, now = new Date()): Promise<{ calls: number; rollup: number }> {
  const cutoff = new Date(now.getTime() - TOOL_LOG_KEEP_DAYS * 86_400_000);
  const batches = (statement: string, before: string) => deleteInBatches(env.DB, statement, [accountId, before], PURGE_BATCH, PURGE_MAX_BATCHES);
  return {
    calls: await batches(
      "delete from tool_invocations where id in (select id from tool_invocations where account_id = ?1 and created_at < ?2 limit ?3)",
      cutoff.toISOString(),
    ),
    // `hour` is `YYYY-MM-DDTHH`: the cutoff's own hour is kept.
    rollup: await batches(
      "delete from tool_latency where rowid in (select rowid from tool_latency where account_id = ?1 and hour < ?2 limit ?3)",
      cutoff.toISOString().slice(0, 13),
    ),
  };
}
