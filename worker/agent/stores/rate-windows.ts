// Fixed one-minute windows for an account's own rate limits (tickets per
// minute, decisions per minute per person). Counted in the account agent,
// which runs one request at a time, so the counts are exact.
import type { Sql } from "../sql";

export interface RateVerdict {
  ok: boolean;
  retryAfterSeconds: number;
}

export function createRateWindowTable(sql: Sql) {
  sql`create table if not exists rate_windows (bucket text not null, window integer not null, count integer not null,
    primary key (bucket, window))`;
}

export class RateWindows {
  constructor(private readonly sql: Sql) {}

  /** Counts one event in `bucket`'s current minute; refuses past `perMinute` and says when to retry. */
  consume(bucket: string, perMinute: number, nowMs = Date.now()): RateVerdict {
    const window = Math.floor(nowMs / 60_000);
    this.sql`delete from rate_windows where window < ${window}`;
    const count = this.sql<{ count: number }>`select count from rate_windows where bucket = ${bucket} and window = ${window}`[0]?.count ?? 0;
    if (count >= perMinute) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * 60_000 - nowMs) / 1000)) };
    this.sql`insert into rate_windows (bucket, window, count) values (${bucket}, ${window}, 1)
      on conflict(bucket, window) do update set count = count + 1`;
    return { ok: true, retryAfterSeconds: 0 };
  }
}
