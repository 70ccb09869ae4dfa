// Task state transitions in D1. Each is written to be safe to repeat: a
// Workflow step may run again after a crash, and nothing may count twice.
import { and, eq, inArray, sql } from "drizzle-orm";
import { auditInsert } from "../audit/audit-trail";
import { getDb, schema } from "../db/client";
import { type DelegatedTokenFor, type Delivered, deliverReply, ticketOf } from "../delivery/deliver";
import type { DecisionEvent } from "../domain/decision-events";
import type { Entitlement, Priority, ProposedReply, TaskStatus, TicketView } from "../domain/types";
import { editRatioPermille } from "./edit-ratio";

const now = () => new Date().toISOString();

/** A new task for a stored ticket (same id), as a prepared statement for intake's one D1 batch. */
export function newTaskStatement(d1: D1Database, taskId: string, accountId: string, status: TaskStatus) {
  return d1.prepare("insert into tasks (id, account_id, ticket_id, status) values (?1, ?2, ?1, ?3) on conflict do nothing").bind(taskId, accountId, status);
}

/** One audit row about a task. With a dedupe key, a retried writer stores it once. */
export async function auditTask(
  env: Env,
  row: { accountId: string; taskId: string; actor: string; action: string; before?: unknown; after?: unknown; artifact?: string; dedupeKey?: string },
): Promise<void> {
  await auditInsert(getDb(env), {
    accountId: row.accountId,
    taskId: row.taskId,
    actor: row.actor,
    action: row.action,
    before: row.before ?? null,
    after: row.after ?? null,
    artifact: row.artifact ?? null,
    dedupeKey: row.dedupeKey ?? null,
  });
}

/** Marks the task attempted (once) and returns what drafting needs, in one batch. */
export async function recordAttempt(
  env: Env,
  taskId: string,
): Promise<{ ticket: TicketView; accountName: string; accountId: string; proposed: (ProposedReply & { inReplyTo: string }) | null }> {
  const db = getDb(env);
  const at = now();
  // Separate selects: in a D1 batch, same-named columns of joined tables (body, created_at) would collide.
  const [, rows, proposedRows] = await db.batch([
    db
      .update(schema.tasks)
      .set({ status: "drafting", attemptedAt: at, attemptedDay: at.slice(0, 10) })
      .where(and(eq(schema.tasks.id, taskId), eq(schema.tasks.status, "received"))),
    db
      .select({ ticket: schema.tickets, accountName: schema.accounts.name })
      .from(schema.tickets)
      .innerJoin(schema.accounts, eq(schema.accounts.id, schema.tickets.accountId))
      .where(eq(schema.tickets.id, taskId)),
    db.select().from(schema.proposedReplies).where(eq(schema.proposedReplies.taskId, taskId)),
  ]);
  const row = rows[0];
  if (!row) throw new Error(`task ${taskId} has no stored ticket`);
  const t = row.ticket;
  const p = proposedRows[0];
  return {
    accountId: t.accountId,
    accountName: row.accountName,
    ticket: {
      ticket_id: t.externalId,
      subject: t.subject,
      body: t.body,
      requester: { email: t.requesterEmail, name: t.requesterName },
      // The help desk's stand-in stayed (worker/triage/identify-requester.ts): the reviewer and the model are told why.
      requester_note: t.requesterLookup?.status === "not_identified" ? `requester not identified: ${t.requesterLookup.reason ?? "no reason given"}` : null,
      priority: t.priority as Priority,
      tags: t.tags,
      received_at: t.receivedAt,
      attachments: t.attachments,
    },
    // The reply an MCP client proposed for this task (worker/mcp/propose.ts), if it is such a task.
    proposed: p ? { body: p.body, confidence: p.confidence / 100, proposedBy: p.proposedBy, clientName: p.clientName, inReplyTo: p.inReplyTo } : null,
  };
}

export async function recordEntitlement(env: Env, taskId: string, entitlement: Entitlement, dueAt: string) {
  await getDb(env).update(schema.tasks).set({ tier: entitlement.tier, dueAt }).where(eq(schema.tasks.id, taskId));
}

/** What a finished drafting round proposes, as D1's task row and the audit trail record it. */
export interface RoundProposal {
  round: number;
  summary: string | null;
  category: string | null;
  /** The ticket's language as summarize_context read it (null before it ran). */
  language: string | null;
  priority: Priority;
  confidence: number | null;
  risk: { kind: string; match: string }[];
  entitlement: Entitlement | null;
  draft: string | null;
  toolCalls: { tool: string; input: unknown; status: string }[];
}

/** What a round learned about the ticket, as the task row keeps it (the insights group by category and language). */
const proposalFacts = (proposal: RoundProposal) => ({
  category: proposal.category,
  language: proposal.language,
  priority: proposal.priority,
  confidence: proposal.confidence === null ? null : Math.round(proposal.confidence * 100),
  round: proposal.round,
  risk: proposal.risk,
});

export async function markAwaitingReview(env: Env, accountId: string, taskId: string, proposal: RoundProposal) {
  const db = getDb(env);
  await db.batch([
    db
      .update(schema.tasks)
      .set({ status: "awaiting_review", ...proposalFacts(proposal) })
      // An auto-sent reply may already have moved the task on.
      .where(and(eq(schema.tasks.id, taskId), inArray(schema.tasks.status, ["drafting", "awaiting_review"]))),
    auditInsert(db, {
      accountId,
      taskId,
      actor: `agent:${accountId}`,
      action: "proposal.created",
      dedupeKey: `${taskId}:proposal:${proposal.round}`,
      after: {
        round: proposal.round,
        summary: proposal.summary,
        category: proposal.category,
        priority: proposal.priority,
        confidence: proposal.confidence,
        entitlement: proposal.entitlement,
        toolCalls: proposal.toolCalls,
        draft: proposal.draft,
      },
    }),
  ]);
}

/**
 * A round went straight to delivery (the auto-send policy let it through): the
 * task keeps what the round learned, without waiting for review.
 */
export async function recordProposalFacts(env: Env, taskId: string, proposal: RoundProposal) {
  await getDb(env)
    .update(schema.tasks)
    .set(proposalFacts(proposal))
    .where(and(eq(schema.tasks.id, taskId), inArray(schema.tasks.status, ["drafting", "awaiting_review", "sending"])));
}

/** A reviewer sent the proposal back: next round, and the task counts as corrected. */
export async function recordRevision(env: Env, accountId: string, taskId: string, d: DecisionEvent) {
  const db = getDb(env);
  await db.batch([
    db
      .update(schema.tasks)
      .set({ status: "drafting", round: d.round + 1, corrected: true, lastDecision: "revise", decidedBy: d.actor })
      .where(eq(schema.tasks.id, taskId)),
    auditInsert(db, {
      accountId,
      taskId,
      actor: "workflow",
      action: "task.revision_started",
      after: { round: d.round + 1, note: d.note },
      dedupeKey: `${taskId}:revision:${d.round}`,
    }),
  ]);
}

export async function recordRejection(env: Env, accountId: string, taskId: string, d: DecisionEvent) {
  const db = getDb(env);
  const at = now();
  await db.batch([
    db
      .update(schema.tasks)
      .set({
        status: "rejected",
        outcome: "rejected",
        corrected: true,
        lastDecision: "reject",
        decidedBy: d.actor,
        decidedAt: at,
        completedAt: at,
        note: d.note ?? null,
      })
      .where(eq(schema.tasks.id, taskId)),
    auditInsert(db, {
      accountId,
      taskId,
      actor: "workflow",
      action: "task.rejected",
      after: { note: d.note ?? null, by: d.actor },
      dedupeKey: `${taskId}:rejected`,
    }),
  ]);
}

/**
 * Delivers the approved reply exactly once (to the ticket's help desk, or the
 * local outbox) and marks the task sent. Returns where the reply went. `draft`
 * is the last draft the reviewer saw: an edit's size is measured against it.
 */
export async function sendReply(
  env: Env,
  accountId: string,
  taskId: string,
  d: DecisionEvent,
  tokenFor: DelegatedTokenFor,
  draft: string | null = null,
): Promise<Delivered> {
  if (!d.body) throw new Error(`the decision for ${taskId} carries no reply body`);
  const db = getDb(env);
  // Decided, on its way out (also while the help desk is being retried).
  await db
    .update(schema.tasks)
    .set({ status: "sending", lastDecision: d.action, decidedBy: d.actor })
    .where(and(eq(schema.tasks.id, taskId), inArray(schema.tasks.status, ["drafting", "awaiting_review"])));
  const delivered = await deliverReply(env, await ticketOf(env, taskId), d.body, d.actor, tokenFor);
  const at = now();
  // Approved or auto-sent: the reviewer changed nothing. An edit without a known draft is not measured.
  const editRatio = d.action === "edit" ? (draft === null ? null : editRatioPermille(draft, d.body)) : 0;
  await db.batch([
    db
      .update(schema.tasks)
      .set({
        status: "sent",
        outcome: d.automatic ? "sent_automatic" : d.action === "edit" ? "sent_edited" : "sent",
        lastDecision: d.action,
        automatic: d.automatic ?? false,
        corrected: d.action === "edit" ? true : undefined,
        decidedBy: d.actor,
        decidedAt: at,
        completedAt: at,
        // A retried step keeps the first time the reply went out.
        firstResponseAt: sql`coalesce(${schema.tasks.firstResponseAt}, ${at})`,
        editRatio,
      })
      .where(eq(schema.tasks.id, taskId)),
    auditInsert(db, {
      accountId,
      taskId,
      actor: "workflow",
      action: "reply.sent",
      after: {
        approvedBy: d.actor,
        edited: d.action === "edit",
        editRatio,
        automatic: d.automatic ?? false,
        channel: delivered.channel,
        sentAs: delivered.sentAs,
      },
      artifact: delivered.artifact,
      dedupeKey: `${taskId}:sent`,
    }),
  ]);
  return delivered;
}

/** An external system refused or kept failing: the task ends as failed with a note the reviewer sees. */
export async function failTask(env: Env, accountId: string, taskId: string, reason: string, prefix = "Failed") {
  const db = getDb(env);
  // Workflows prefix the error class ("NonRetryableError: …"); the reviewer needs the message.
  const note = `${prefix}: ${reason.replace(/^(?:\w*Error: )+/, "")}`.slice(0, 2000);
  await db.batch([
    db.update(schema.tasks).set({ status: "failed", outcome: "failed", note, completedAt: now() }).where(eq(schema.tasks.id, taskId)),
    auditInsert(db, { accountId, taskId, actor: "workflow", action: "task.failed", after: { note }, dedupeKey: `${taskId}:failed` }),
  ]);
  return note;
}

export const ESCALATION_NOTE = "No decision within 2 hours: the proposal expired and the ticket was escalated to the account's leads.";

export async function expireTask(env: Env, accountId: string, taskId: string) {
  const db = getDb(env);
  const at = now();
  await db.batch([
    db
      .update(schema.tasks)
      .set({ status: "expired", outcome: "expired", note: ESCALATION_NOTE, completedAt: at })
      .where(and(eq(schema.tasks.id, taskId), inArray(schema.tasks.status, ["drafting", "awaiting_review"]))),
    auditInsert(db, {
      accountId,
      taskId,
      actor: "workflow",
      action: "task.expired",
      after: { note: ESCALATION_NOTE },
      artifact: `tasks/${taskId}#note`,
      dedupeKey: `${taskId}:expired`,
    }),
  ]);
}

/** A waiting (queued or held) task got a slot: received again, to be started. False if it moved on meanwhile. */
export async function admitWaitingTask(env: Env, taskId: string): Promise<boolean> {
  const [moved] = await getDb(env)
    .update(schema.tasks)
    .set({ status: "received" })
    .where(and(eq(schema.tasks.id, taskId), inArray(schema.tasks.status, ["queued", "held"])))
    .returning({ id: schema.tasks.id });
  return !!moved;
}
