// The account's in-flight slots (backpressure): a task holds one from intake
// until its Workflow ends. Past the account's cap, new tickets wait as
// `queued` in D1 and start as slots free up.
import { nowIso, type Sql } from "../sql";

export function createInFlightTable(sql: Sql) {
  sql`create table if not exists in_flight (task_id text primary key, since text not null)`;
}

export class InFlightSlots {
  constructor(private readonly sql: Sql) {}

  /** Takes a slot for a task if one is free (or it already holds one). */
  admit(taskId: string, maxInFlight: number): boolean {
    if (this.sql`select 1 from in_flight where task_id = ${taskId}`.length) return true;
    const [{ n }] = this.sql<{ n: number }>`select count(*) as n from in_flight`;
    if (n >= maxInFlight) return false;
    this.sql`insert into in_flight (task_id, since) values (${taskId}, ${nowIso()})`;
    return true;
  }

  release(taskId: string): void {
    this.sql`delete from in_flight where task_id = ${taskId}`;
  }

  /** Slots held since before `before` (housekeeping checks them against D1). */
  heldSince(before: string, limit: number): string[] {
    return this.sql<{ task_id: string }>`select task_id from in_flight where since < ${before} order by since limit ${limit}`.map((r) => r.task_id);
  }
}
