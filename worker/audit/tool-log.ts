// The tool log (D1 `tool_invocations`): every tool call by the account's
// drafting agents and by MCP clients, with input, outcome, output and
// duration. This module is its one writer.
import { type Db, schema } from "../db/client";

export type ToolLogEntry = typeof schema.toolInvocations.$inferInsert;

/** The inserts of `entries`, for a caller's batch: D1 binds at most 100 parameters per statement, so 10 rows each. */
export function toolLogInserts(db: Db, entries: ToolLogEntry[]) {
  const inserts = [];
  for (let i = 0; i < entries.length; i += 10) inserts.push(db.insert(schema.toolInvocations).values(entries.slice(i, i + 10)));
  return inserts;
}
