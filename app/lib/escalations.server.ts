// Read models for the insights and operations pages that the worker's own
// queries (worker/db/queries.ts) do not cover.
import { and, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { getDb, schema } from "../../worker/db/client";
import type { WaitingCounts } from "./operations";

export interface EscalationRow {
  id: string;
  /** The help desk's ticket id. */
  ticketId: string;
  subject: string;
  requesterEmail: string;
  status: "expired" | "failed";
  /** The escalation note (expired) or the failure reason (failed). */
  note: string | null;
  completedAt: string | null;
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
