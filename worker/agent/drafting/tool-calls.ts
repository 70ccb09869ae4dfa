// The tool calls of one ticket's drafting, as the reviewer sees them. Each
// output is stored once, here; the queue's rows and live updates never carry
// them, and the detail view shortens the large ones.
import type { Json, ToolCallRecord } from "../../domain/types";
import { nowIso, type Sql } from "../sql";

/** Outputs longer than this (as JSON) are shortened in the detail view; the tool log in D1 keeps them whole. */
const MAX_SHOWN_OUTPUT = 4_000;

export function createToolCallTable(sql: Sql) {
  sql`create table if not exists tool_calls (
    id text primary key, seq integer not null, round integer not null, attempt integer not null,
    tool text not null, input text not null, output text, status text not null, duration_ms integer, started_at text not null)`;
}

export class ToolCalls {
  constructor(private readonly sql: Sql) {}

  started(id: string, round: number, attempt: number, tool: string, input: Json) {
    const [{ n }] = this.sql<{ n: number }>`select count(*) as n from tool_calls`;
    this.sql`insert or ignore into tool_calls (id, seq, round, attempt, tool, input, status, started_at)
      values (${id}, ${n}, ${round}, ${attempt}, ${tool}, ${JSON.stringify(input)}, 'running', ${nowIso()})`;
  }

  update(id: string, patch: { status: ToolCallRecord["status"]; output?: Json; durationMs?: number }) {
    this.sql`update tool_calls set status = ${patch.status},
      output = coalesce(${patch.output === undefined ? null : JSON.stringify(patch.output)}, output),
      duration_ms = coalesce(${patch.durationMs ?? null}, duration_ms) where id = ${id}`;
  }

  /** A round that runs again forgets its interrupted attempt's calls (the D1 tool log keeps them). */
  forgetAttempt(round: number, attemptBelow: number) {
    this.sql`delete from tool_calls where round = ${round} and attempt < ${attemptBelow}`;
  }

  /** One round's calls in order, without outputs (a sample of the round keeps these). */
  ofRound(round: number): { name: string; input: Json; status: ToolCallRecord["status"] }[] {
    return this.sql<{ tool: string; input: string; status: ToolCallRecord["status"] }>`
      select tool, input, status from tool_calls where round = ${round} order by seq`.map((r) => ({
      name: r.tool,
      input: JSON.parse(r.input) as Json,
      status: r.status,
    }));
  }

  /** In order, with large outputs shortened. */
  list(): ToolCallRecord[] {
    return this.sql<{ id: string; tool: string; input: string; output: string | null; status: ToolCallRecord["status"]; duration_ms: number | null }>`
      select id, tool, input, output, status, duration_ms from tool_calls order by seq`.map((r) => {
      const long = r.output !== null && r.output.length > MAX_SHOWN_OUTPUT;
      return {
        id: r.id,
        tool: r.tool,
        input: JSON.parse(r.input) as Json,
        ...(r.output === null ? {} : { output: long ? `${r.output.slice(0, MAX_SHOWN_OUTPUT)}…` : (JSON.parse(r.output) as Json) }),
        status: r.status,
        ...(r.duration_ms === null ? {} : { durationMs: r.duration_ms }),
        ...(long ? { truncated: true } : {}),
      };
    });
  }
}
