// Idempotency keys for one ticket's external calls: recorded BEFORE the call,
// marked done with its result after. A call that completed is never made
// again (a retried Workflow step, a resumed round, an MCP client asking twice).
import { nowIso, type Sql } from "../sql";

export function createIdempotencyTable(sql: Sql) {
  sql`create table if not exists idempotency_keys (
    key text primary key, tool text not null, status text not null, result text, created_at text not null)`;
}

export class IdempotencyKeys {
  constructor(private readonly sql: Sql) {}

  status(key: string): "started" | "done" | null {
    return this.sql<{ status: "started" | "done" }>`select status from idempotency_keys where key = ${key}`[0]?.status ?? null;
  }

  /** Records a call someone else already made for this ticket (the Workflow's entitlement lookup), so the tool does not repeat it. */
  record(key: string, tool: string, result: unknown) {
    this
      .sql`insert or ignore into idempotency_keys (key, tool, status, result, created_at) values (${key}, ${tool}, 'done', ${JSON.stringify(result)}, ${nowIso()})`;
  }

  async once<T>(key: string, tool: string, call: () => Promise<T>): Promise<T> {
    const row = this.sql<{ status: string; result: string | null }>`select status, result from idempotency_keys where key = ${key}`[0];
    if (row?.status === "done" && row.result !== null) return JSON.parse(row.result) as T;
    if (!row) this.sql`insert into idempotency_keys (key, tool, status, created_at) values (${key}, ${tool}, 'started', ${nowIso()})`;
    const result = await call();
    this.sql`update idempotency_keys set status = 'done', result = ${JSON.stringify(result)} where key = ${key}`;
    return result;
  }
}
