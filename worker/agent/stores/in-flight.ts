// The account's drafting slots (backpressure, the "in-flight cap"): a task
// holds one from intake until its first draft is ready (or it ends), so the
// cap bounds how many tickets draft at once (model calls, cost, a provider's
// rate limit), never how many proposals wait for people. Past the cap, new
// tickets wait as `queued` in D1 and start as slots free up.
import { nowIso, type Sql } from "../sql";

export function createInFlightTable(sql: Sql) {
  sql`create table if not exists in_flight (task_id text primary key, since text not null)`;
  // waiting = 1 once a ticket was refused a slot, until a release finds none waiting in D1.
  sql`create table if not exists in_flight_meta (key text primary key, value integer not null)`;
}

export class InFlightSlots {
  constructor(private readonly sql: Sql) {}

  /** Takes a slot for a task if one is free (or it already holds one). */
  admit(taskId: string, maxInFlight: number): boolean {
    if (this.sql`select 1 from in_flight where task_id = ${taskId}`.length) return true;
    const [{ n }] = this.sql<{ n: number }>`select count(*) as n from in_flight`;
    if (n >= maxInFlight) {
      this.sql`insert or replace into in_flight_meta (key, value) values ('waiting', 1)`;
      return false;
    }
    this.sql`insert into in_flight (task_id, since) values (${taskId}, ${nowIso()})`;
    return true;
  }

  /** Of `candidates` (oldest first), the ones that get a slot now; those already holding one are skipped, not repeated. */
  admitNew(candidates: string[], maxInFlight: number): string[] {
    const admitted: string[] = [];
    for (const id of candidates) {
      if (this.sql`select 1 from in_flight where task_id = ${id}`.length) continue;
      if (!this.admit(id, maxInFlight)) break;
      admitted.push(id);
    }
    return admitted;
  }

  /** Frees a task's slot; says whether tickets may be waiting for one (so the caller looks in D1 only then). */
  release(taskId: string): { waiting: boolean } {
    this.sql`delete from in_flight where task_id = ${taskId}`;
    return { waiting: this.sql<{ value: number }>`select value from in_flight_meta where key = 'waiting'`[0]?.value === 1 };
  }

  /** A release looked: nobody waits any more. */
  noneWaiting() {
    this.sql`delete from in_flight_meta where key = 'waiting'`;
  }

  /** Slots held since before `before` (housekeeping checks them against D1). */
  heldSince(before: string, limit: number): string[] {
    return this.sql<{ task_id: string }>`select task_id from in_flight where since < ${before} order by since limit ${limit}`.map((r) => r.task_id);
  }
}
