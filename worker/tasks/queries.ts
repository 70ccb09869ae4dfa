// Read models for the dashboard and the API.
import { and, count, desc, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
import type { TriageFigures, TriageInsights, TriageInsightsFilter, TriageInsightsRow } from "../domain/insights";
import type { DailyFigure, EscalationRow, TaskStatus, TaskSummary, WaitingCounts } from "../domain/types";

/** The last `days` days of figures, oldest first, with empty days filled in. */
export async function dailyFiguresFor(env: Env, accountId: string, days = 14, today = new Date()): Promise<DailyFigure[]> {
  const start = new Date(today.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = await getDb(env)
    .select()
    .from(schema.dailyFigures)
    .where(and(eq(schema.dailyFigures.accountId, accountId), gte(schema.dailyFigures.day, start)));
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(Date.parse(start) + i * 86_400_000).toISOString().slice(0, 10);
    const r = byDay.get(day);
    return { day, attempted: Number(r?.attempted ?? 0), completed: Number(r?.completed ?? 0), corrected: Number(r?.corrected ?? 0) };
  });
}

type TaskRow = { task: typeof schema.tasks.$inferSelect; ticket: typeof schema.tickets.$inferSelect };

function taskSummary({ task, ticket }: TaskRow): TaskSummary {
  return {
    id: task.id,
    ticketId: ticket.externalId,
    subject: ticket.subject,
    requesterEmail: ticket.requesterEmail,
    status: task.status as TaskStatus,
    outcome: task.outcome,
    corrected: task.corrected,
    round: task.round,
    attemptedAt: task.attemptedAt,
    completedAt: task.completedAt,
    decidedBy: task.decidedBy,
  };
}

const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
function fromB64url(s: string): string | null {
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** A page of the account's tasks, newest first; `cursor` is the previous page's `nextCursor`. */
export async function tasksPage(
  env: Env,
  accountId: string,
  opts: { limit: number; cursor?: string; status?: TaskStatus },
): Promise<{ tasks: TaskSummary[]; nextCursor: string | null }> {
  let after: { createdAt: string; id: string } | null = null;
  if (opts.cursor) {
    const m = /^([^|]{1,40})\|(t_[0-9a-f]{32})$/.exec(fromB64url(opts.cursor) ?? "");
    if (!m) throw new HttpError(400, "invalid query", { fields: [{ path: "cursor", message: "cursor must be the nextCursor of a previous page" }] });
    after = { createdAt: m[1]!, id: m[2]! };
  }
  const rows = await getDb(env)
    .select({ task: schema.tasks, ticket: schema.tickets })
    .from(schema.tasks)
    .innerJoin(schema.tickets, eq(schema.tickets.id, schema.tasks.ticketId))
    .where(
      and(
        eq(schema.tasks.accountId, accountId),
        opts.status ? eq(schema.tasks.status, opts.status) : undefined,
        after ? or(lt(schema.tasks.createdAt, after.createdAt), and(eq(schema.tasks.createdAt, after.createdAt), lt(schema.tasks.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(schema.tasks.createdAt), desc(schema.tasks.id))
    .limit(opts.limit + 1);
  const more = rows.length > opts.limit;
  const shown = more ? rows.slice(0, opts.limit) : rows;
  const last = shown.at(-1);
  return { tasks: shown.map(taskSummary), nextCursor: more && last ? b64url(`${last.task.createdAt}|${last.task.id}`) : null };
}

/** The newest tasks (Insights' recent list). */
export async function recentTasks(env: Env, accountId: string, limit = 25): Promise<TaskSummary[]> {
  return (await tasksPage(env, accountId, { limit })).tasks;
}

/** One task of the account with its status and outcome, or null. */
export async function taskById(
  env: Env,
  accountId: string,
  taskId: string,
): Promise<(TaskSummary & { note: string | null; dueAt: string | null; tier: string | null; category: string | null; priority: string | null }) | null> {
  const [row] = await getDb(env)
    .select({ task: schema.tasks, ticket: schema.tickets })
    .from(schema.tasks)
    .innerJoin(schema.tickets, eq(schema.tickets.id, schema.tasks.ticketId))
    .where(and(eq(schema.tasks.accountId, accountId), eq(schema.tasks.id, taskId)))
    .limit(1);
  if (!row) return null;
  return { ...taskSummary(row), note: row.task.note, dueAt: row.task.dueAt, tier: row.task.tier, category: row.task.category, priority: row.task.priority };
}

/** Tasks that expired without a decision or failed, newest first. */
export async function escalations(env: Env, accountId: string, limit = 20): Promise<EscalationRow[]> {
  const rows = await getDb(env)
    .select({
      id: schema.tasks.id,
      ticketId: schema.tickets.externalId,
      subject: schema.tickets.subject,
      requesterEmail: schema.tickets.requesterEmail,
      status: schema.tasks.status,
      note: schema.tasks.note,
      completedAt: schema.tasks.completedAt,
    })
    .from(schema.tasks)
    .innerJoin(schema.tickets, eq(schema.tickets.id, schema.tasks.ticketId))
    .where(and(eq(schema.tasks.accountId, accountId), inArray(schema.tasks.status, ["expired", "failed"])))
    // A task without completedAt (should not happen) sorts by when it was created.
    .orderBy(desc(sql`coalesce(${schema.tasks.completedAt}, ${schema.tasks.createdAt})`))
    .limit(Math.max(1, Math.min(limit, 100)));
  return rows.map((r) => ({ ...r, status: r.status as EscalationRow["status"] }));
}

/** Tickets stored but not being triaged: held, queued, and skipped today. */
export async function waitingCounts(env: Env, accountId: string, now = new Date()): Promise<WaitingCounts> {
  const db = getDb(env);
  const today = now.toISOString().slice(0, 10);
  const [waiting, skipped] = await Promise.all([
    db
      .select({ status: schema.tasks.status, n: count() })
      .from(schema.tasks)
      .where(and(eq(schema.tasks.accountId, accountId), inArray(schema.tasks.status, ["held", "queued"])))
      .groupBy(schema.tasks.status),
    db
      .select({ n: count() })
      .from(schema.tasks)
      .where(and(eq(schema.tasks.accountId, accountId), eq(schema.tasks.status, "skipped"), gte(schema.tasks.createdAt, today))),
  ]);
  const of = (s: string) => Number(waiting.find((w) => w.status === s)?.n ?? 0);
  return { held: of("held"), queued: of("queued"), skippedToday: Number(skipped[0]?.n ?? 0) };
}

// ── "Is triage helping?" ────────────────────────────────────────────────────

/** The groups one insights query returns at once: per category, per language, and all tasks. */
const DIMENSIONS = [
  { dim: "category", key: sql.raw("category") },
  { dim: "language", key: sql.raw("language") },
  { dim: "total", key: sql.raw("null") },
] as const;
type Dimension = (typeof DIMENSIONS)[number]["dim"];

/** One select per dimension, glued with UNION ALL (SQLite has no GROUPING SETS). */
const perDimension = (select: (d: (typeof DIMENSIONS)[number]) => SQL) =>
  sql.join(
    DIMENSIONS.map((d) => select(d)),
    sql` union all `,
  );

type CountsRow = {
  dim: Dimension;
  grp: string | null;
  tasks: number;
  approved: number;
  edited: number;
  rejected: number;
  sent_back: number;
  auto_sent: number;
  expired: number;
  failed: number;
  open: number;
  edit_mean: number | null;
  responded: number;
  sla_met: number;
  sla_measured: number;
};
type MedianRow = { dim: Dimension; grp: string | null; metric: "edit" | "response"; median: number };

/**
 * Per category and per language, for the tasks attempted in the last `days`
 * UTC days (optionally of one category and/or language): what people did with
 * the proposals, how much they changed the drafts they edited, how fast the
 * reply went out and how often within the SLA. Three bounded statements on
 * the tasks_account_day_facets index: counts and means GROUP BY in SQL,
 * medians by window functions, the categories and languages seen for the
 * filter menus; each returns a few rows per category and language.
 */
export async function triageInsights(env: Env, accountId: string, filter: TriageInsightsFilter, today = new Date()): Promise<TriageInsights> {
  const db = getDb(env);
  const since = new Date(today.getTime() - (filter.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const nowIso = today.toISOString();
  const inWindow = sql`account_id = ${accountId} and attempted_day >= ${since}`;
  const where = sql.join(
    [inWindow, ...(filter.category ? [sql`category = ${filter.category}`] : []), ...(filter.language ? [sql`language = ${filter.language}`] : [])],
    sql` and `,
  );
  const approved = sql`status = 'sent' and last_decision = 'approve' and not automatic`;
  const edited = sql`status = 'sent' and last_decision = 'edit' and not automatic`;
  const sum = (condition: SQL) => sql`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;
  // Met: a reply went out, or a person closed the ticket, by the deadline. Measured: that, or the outcome is
  // known to have missed it (closed late, expired, failed, or still open past the deadline).
  const slaMet = sql`due_at is not null and status in ('sent', 'rejected') and completed_at <= due_at`;
  const slaMeasured = sql`due_at is not null and (status in ('sent', 'rejected', 'expired', 'failed') or due_at <= ${nowIso})`;

  const counts = perDimension(
    ({ dim, key }) => sql`select ${dim} as dim, ${key} as grp,
      count(*) as tasks,
      ${sum(approved)} as approved,
      ${sum(edited)} as edited,
      ${sum(sql`status = 'rejected'`)} as rejected,
      ${sum(sql`round > 1`)} as sent_back,
      ${sum(sql`status = 'sent' and automatic`)} as auto_sent,
      ${sum(sql`status = 'expired'`)} as expired,
      ${sum(sql`status = 'failed'`)} as failed,
      ${sum(sql`status in ('drafting', 'awaiting_review', 'sending')`)} as open,
      avg(case when ${edited} then edit_ratio_permille end) as edit_mean,
      ${sum(sql`status = 'sent' and first_response_at is not null`)} as responded,
      ${sum(slaMet)} as sla_met,
      ${sum(slaMeasured)} as sla_measured
    from tasks where ${where}${dim === "total" ? sql`` : sql` group by ${key}`}`,
  );

  // Values whose median is wanted (one scan per metric), ranked within each category, language and
  // overall; the middle one (or two) of each group. D1 allows few terms per compound SELECT: one row set, three rankings.
  const n = (p: string) => sql.raw(`row_number() over (partition by metric${p} order by x) as i${p ? p.slice(2, 3) : "t"}`);
  const c = (p: string) => sql.raw(`count(*) over (partition by metric${p}) as n${p ? p.slice(2, 3) : "t"}`);
  const middle = (s: string) => sql.raw(`i${s} in ((n${s} + 1) / 2, (n${s} + 2) / 2)`);
  const medians = sql`with v as (
      select category, language, 'edit' as metric, edit_ratio_permille as x
        from tasks where ${where} and ${edited} and edit_ratio_permille is not null
      union all
      select category, language, 'response', (julianday(first_response_at) - julianday(created_at)) * 86400
        from tasks where ${where} and status = 'sent' and first_response_at is not null),
    r as (select category, language, metric, x, ${n(", category")}, ${c(", category")}, ${n(", language")}, ${c(", language")}, ${n("")}, ${c("")} from v)
    select 'category' as dim, category as grp, metric, avg(x) as median from r where ${middle("c")} group by category, metric
    union all select 'language', language, metric, avg(x) from r where ${middle("l")} group by language, metric
    union all select 'total', null, metric, avg(x) from r where ${middle("t")} group by metric`;

  const seen = sql`select 'category' as dim, category as grp from tasks where ${inWindow} and category is not null group by category
    union all select 'language', language from tasks where ${inWindow} and language is not null group by language`;

  const [countRows, medianRows, seenRows] = await Promise.all([
    db.all<CountsRow>(counts),
    db.all<MedianRow>(medians),
    db.all<{ dim: "category" | "language"; grp: string }>(seen),
  ]);

  const median = new Map(medianRows.map((m) => [`${m.dim}|${m.grp ?? ""}|${m.metric}`, Number(m.median)]));
  const figures = (r: CountsRow | undefined, dim: Dimension, key: string | null): TriageFigures => {
    const n = (v: number | null | undefined) => Number(v ?? 0);
    const editMedian = median.get(`${dim}|${key ?? ""}|edit`);
    const responseMedian = median.get(`${dim}|${key ?? ""}|response`);
    const measured = n(r?.sla_measured);
    return {
      tasks: n(r?.tasks),
      approved: n(r?.approved),
      edited: n(r?.edited),
      rejected: n(r?.rejected),
      sentBack: n(r?.sent_back),
      autoSent: n(r?.auto_sent),
      expired: n(r?.expired),
      failed: n(r?.failed),
      open: n(r?.open),
      editRatio: {
        mean: r?.edit_mean == null ? null : Math.round(Number(r.edit_mean)) / 1000,
        median: editMedian === undefined ? null : Math.round(editMedian) / 1000,
      },
      firstResponse: { medianSeconds: responseMedian === undefined ? null : Math.round(responseMedian), responded: n(r?.responded) },
      sla: { met: n(r?.sla_met), measured, share: measured ? Math.round((n(r?.sla_met) / measured) * 1000) / 1000 : null },
    };
  };
  const rowsOf = (dim: "category" | "language"): TriageInsightsRow[] =>
    countRows
      .filter((r) => r.dim === dim)
      .map((r) => ({ key: r.grp, ...figures(r, dim, r.grp) }))
      .sort((a, b) => b.tasks - a.tasks || (a.key ?? "~").localeCompare(b.key ?? "~"));
  const seenOf = (dim: "category" | "language") =>
    seenRows
      .filter((r) => r.dim === dim)
      .map((r) => r.grp)
      .sort();

  return {
    days: filter.days,
    since,
    filter: { category: filter.category ?? null, language: filter.language ?? null },
    totals: figures(
      countRows.find((r) => r.dim === "total"),
      "total",
      null,
    ),
    byCategory: rowsOf("category"),
    byLanguage: rowsOf("language"),
    seen: { categories: seenOf("category"), languages: seenOf("language") },
  };
}
