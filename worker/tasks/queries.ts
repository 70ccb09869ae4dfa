// Read models for the dashboard and the API.
import { and, count, desc, eq, gte, inArray, lt, or, sql } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
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
