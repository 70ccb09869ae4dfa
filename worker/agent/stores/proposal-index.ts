// The review queue of one account: one small row per open proposal in the
// account agent's SQLite, a monotonic version, and tombstones of what left
// the queue. Nothing here grows with the queue in one row or one message: a
// page is a keyset query, a change is one row, and a dashboard that was away
// catches up from its last version. The proposal itself (ticket, tool calls,
// draft) lives with its ticket drafter (worker/agent/drafting).
import {
  type ProposalPage,
  type ProposalStatus,
  type ProposalSummary,
  proposalSortKey,
  type QueueChanges,
  type QueueCounts,
  type QueueFilter,
} from "../../domain/types";
import { nowIso, type Sql } from "../sql";

/** Catch-up answers at most this many changes; beyond it the dashboard reloads its first page. */
const MAX_CATCH_UP = 500;
/** Tombstones are kept this long: a dashboard away for longer reloads. */
const TOMBSTONE_TTL_MS = 24 * 60 * 60 * 1000;
const MAX_PAGE = 200;

/** A row being decided on: not decidable again, not shown as a change. */
type RowStatus = ProposalStatus | "deciding";

function encodeCursor(key: string): string {
  const binary = String.fromCharCode(...new TextEncoder().encode(key));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The sort key a cursor stands for, or null when it is not one of ours. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const key = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    return /^[^|]+\|[0-2]\|[^|]+\|t_[0-9a-f]+$/.test(key) ? key : null;
  } catch {
    return null;
  }
}

const emptyCounts = (): QueueCounts => ({ awaiting_review: 0, drafting: 0, sending: 0, open: 0 });

export function createProposalIndexTables(sql: Sql) {
  sql`create table if not exists proposals (
    task_id text primary key, status text not null, round integer not null, version integer not null,
    sort_key text not null, priority text not null, tier text, category text, origin text not null,
    summary text not null)`;
  sql`create index if not exists proposals_by_sort on proposals(sort_key)`;
  sql`create index if not exists proposals_by_status on proposals(status, sort_key)`;
  sql`create index if not exists proposals_by_version on proposals(version)`;
  sql`create table if not exists closed_proposals (
    task_id text primary key, outcome text not null, version integer not null, closed_at text not null)`;
  sql`create index if not exists closed_by_version on closed_proposals(version)`;
  // version: the last change; floor: changes at or below it may be forgotten (pruned tombstones).
  sql`create table if not exists queue_meta (key text primary key, value integer not null)`;
}

export class ProposalIndex {
  private counts: QueueCounts | null = null;

  constructor(private readonly sql: Sql) {}

  get version(): number {
    return this.meta("version");
  }

  currentCounts(): QueueCounts {
    if (!this.counts) {
      const counts = emptyCounts();
      for (const r of this.sql<{ status: RowStatus; n: number }>`select status, count(*) as n from proposals group by status`) {
        // A row being decided on still counts where it was (awaiting review).
        const status = r.status === "deciding" ? "awaiting_review" : r.status;
        counts[status] += r.n;
        counts.open += r.n;
      }
      this.counts = counts;
    }
    return { ...this.counts };
  }

  get(taskId: string): (ProposalSummary & { rowStatus: RowStatus }) | null {
    const row = this.sql<{ summary: string; status: RowStatus }>`select summary, status from proposals where task_id = ${taskId}`[0];
    return row ? { ...(JSON.parse(row.summary) as ProposalSummary), rowStatus: row.status } : null;
  }

  /** How a task left the queue, if it did (kept a day). */
  closed(taskId: string): { outcome: string } | null {
    return this.sql<{ outcome: string }>`select outcome from closed_proposals where task_id = ${taskId}`[0] ?? null;
  }

  /**
   * Writes a proposal's row (new or changed) and returns it with its new
   * version, or null when the task already left the queue: a late update
   * never brings a closed proposal back.
   */
  upsert(summary: Omit<ProposalSummary, "version" | "updatedAt">): ProposalSummary | null {
    if (this.closed(summary.taskId)) return null;
    const before = this.sql<{ status: RowStatus }>`select status from proposals where task_id = ${summary.taskId}`[0];
    const version = this.bump();
    const row: ProposalSummary = { ...summary, subject: summary.subject.slice(0, 200), updatedAt: nowIso(), version };
    // A claimed row stays claimed while the drafter's late field updates land.
    const rowStatus: RowStatus = before?.status === "deciding" && row.status === "awaiting_review" ? "deciding" : row.status;
    this.sql`insert into proposals (task_id, status, round, version, sort_key, priority, tier, category, origin, summary)
      values (${row.taskId}, ${rowStatus}, ${row.round}, ${version}, ${proposalSortKey(row)}, ${row.priority}, ${row.tier}, ${row.category}, ${row.origin}, ${JSON.stringify(row)})
      on conflict(task_id) do update set status = excluded.status, round = excluded.round, version = excluded.version,
        sort_key = excluded.sort_key, priority = excluded.priority, tier = excluded.tier, category = excluded.category,
        origin = excluded.origin, summary = excluded.summary`;
    this.recount(before?.status ?? null, rowStatus);
    return row;
  }

  /** Changes some fields of an open proposal; null when it is not open. */
  patch(taskId: string, patch: Partial<Omit<ProposalSummary, "taskId" | "version" | "updatedAt">>): ProposalSummary | null {
    const current = this.get(taskId);
    if (!current) return null;
    const { rowStatus: _rowStatus, version: _version, updatedAt: _updatedAt, ...rest } = current;
    return this.upsert({ ...rest, ...patch });
  }

  /**
   * Marks a proposal as being decided on (synchronously, before any await):
   * a second decision finds it taken. Returns false when it was not awaiting review.
   */
  claimForDecision(taskId: string): boolean {
    const row = this.sql<{ status: RowStatus }>`select status from proposals where task_id = ${taskId}`[0];
    if (row?.status !== "awaiting_review") return false;
    this.sql`update proposals set status = 'deciding' where task_id = ${taskId}`;
    return true;
  }

  /** Gives a claimed proposal back (the decision could not be handed on). */
  releaseClaim(taskId: string) {
    this.sql`update proposals set status = 'awaiting_review' where task_id = ${taskId} and status = 'deciding'`;
  }

  /** Takes a proposal out of the queue; returns the new version, or null when it was not there. */
  remove(taskId: string, outcome: string): number | null {
    const before = this.sql<{ status: RowStatus }>`select status from proposals where task_id = ${taskId}`[0];
    if (!before) return null;
    const version = this.bump();
    this.sql`delete from proposals where task_id = ${taskId}`;
    this.sql`insert or replace into closed_proposals (task_id, outcome, version, closed_at) values (${taskId}, ${outcome}, ${version}, ${nowIso()})`;
    this.recount(before.status, null);
    return version;
  }

  /** Records that a task ended without ever being in the queue (so late updates cannot add it). */
  markClosed(taskId: string, outcome: string) {
    if (this.remove(taskId, outcome) !== null) return;
    this.sql`insert or ignore into closed_proposals (task_id, outcome, version, closed_at) values (${taskId}, ${outcome}, ${this.version}, ${nowIso()})`;
  }

  page(filter: QueueFilter, limit: number, cursor: string | null): ProposalPage {
    const after = cursor ?? "";
    const take = Math.max(1, Math.min(limit, MAX_PAGE)) + 1;
    // `deciding` rows are shown as awaiting review until the decision lands.
    const status = filter.status ?? null;
    const rows = this.sql<{ summary: string; sort_key: string; status: RowStatus }>`
      select summary, sort_key, status from proposals
      where sort_key > ${after}
        and (${status} is null or status = ${status} or (${status} = 'awaiting_review' and status = 'deciding'))
        and (${filter.priority ?? null} is null or priority = ${filter.priority ?? null})
        and (${filter.tier ?? null} is null or tier = ${filter.tier ?? null})
        and (${filter.category ?? null} is null or category = ${filter.category ?? null})
        and (${filter.origin ?? null} is null or origin = ${filter.origin ?? null})
      order by sort_key limit ${take}`;
    const more = rows.length === take;
    const shown = more ? rows.slice(0, -1) : rows;
    return {
      proposals: shown.map((r) => JSON.parse(r.summary) as ProposalSummary),
      nextCursor: more ? encodeCursor(shown.at(-1)!.sort_key) : null,
      counts: this.currentCounts(),
      version: this.version,
    };
  }

  /** Everything that changed after `since`, or `reset` when that is too much or too long ago. */
  changesSince(since: number): QueueChanges {
    const version = this.version;
    const counts = this.currentCounts();
    if (since > version || since < this.meta("floor")) return { version, counts, upserts: [], removes: [], reset: true };
    const upserts = this.sql<{ summary: string }>`select summary from proposals where version > ${since} order by version limit ${MAX_CATCH_UP + 1}`;
    const removes = this.sql<{ task_id: string; outcome: string }>`
      select task_id, outcome from closed_proposals where version > ${since} order by version limit ${MAX_CATCH_UP + 1}`;
    if (upserts.length + removes.length > MAX_CATCH_UP) return { version, counts, upserts: [], removes: [], reset: true };
    return {
      version,
      counts,
      upserts: upserts.map((r) => JSON.parse(r.summary) as ProposalSummary),
      removes: removes.map((r) => ({ taskId: r.task_id, outcome: r.outcome })),
      reset: false,
    };
  }

  /** The open proposals' task ids, oldest first (housekeeping). */
  openTaskIds(limit: number, after = ""): string[] {
    return this.sql<{ task_id: string }>`select task_id from proposals where task_id > ${after} order by task_id limit ${limit}`.map((r) => r.task_id);
  }

  /** Forgets tombstones older than a day; dashboards away longer than that reload. */
  pruneTombstones(nowMs = Date.now()) {
    const before = new Date(nowMs - TOMBSTONE_TTL_MS).toISOString();
    const [{ v }] = this.sql<{ v: number | null }>`select max(version) as v from closed_proposals where closed_at < ${before}`;
    if (v === null) return;
    this.sql`delete from closed_proposals where closed_at < ${before}`;
    this.setMeta("floor", Math.max(this.meta("floor"), v));
  }

  private bump(): number {
    const version = this.meta("version") + 1;
    this.setMeta("version", version);
    return version;
  }

  private recount(from: RowStatus | null, to: RowStatus | null) {
    if (!this.counts) return;
    const norm = (s: RowStatus | null) => (s === "deciding" ? "awaiting_review" : s);
    const a = norm(from);
    const b = norm(to);
    if (a === b) return;
    if (a) {
      this.counts[a]--;
      this.counts.open--;
    }
    if (b) {
      this.counts[b]++;
      this.counts.open++;
    }
  }

  private meta(key: "version" | "floor"): number {
    return this.sql<{ value: number }>`select value from queue_meta where key = ${key}`[0]?.value ?? 0;
  }

  private setMeta(key: "version" | "floor", value: number) {
    this.sql`insert into queue_meta (key, value) values (${key}, ${value}) on conflict(key) do update set value = excluded.value`;
  }
}
