// Read models for the dashboard and the API.
import { and, desc, eq, gte } from "drizzle-orm";
import type { DailyFigure, TaskSummary, TaskStatus } from "../types";
import { getDb, schema } from "./client";

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

export async function recentTasks(env: Env, accountId: string, limit = 25): Promise<TaskSummary[]> {
  const rows = await getDb(env)
    .select({ task: schema.tasks, ticket: schema.tickets })
    .from(schema.tasks)
    .innerJoin(schema.tickets, eq(schema.tickets.id, schema.tasks.ticketId))
    .where(eq(schema.tasks.accountId, accountId))
    .orderBy(desc(schema.tasks.createdAt))
    .limit(limit);
  return rows.map(({ task, ticket }) => ({
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
  }));
}
