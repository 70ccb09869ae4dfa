// What each triage tool does for one ticket's drafter: every call is logged
// to D1's tool log, and every external call runs once under an idempotency key.

import { toolLogInserts } from "../../audit/tool-log";
import { getDb, type schema } from "../../db/client";
import { fileInternalNote } from "../../delivery/deliver";
import { DRAFT_TOOL } from "../../domain/latency";
import { recordHandoff } from "../../tasks/handoffs";
import { auditTask } from "../../tasks/transitions";
import { NO_ACCOUNT_ROUTING, summarizeTicket } from "../context";
import { entitlementOf } from "../entitlements";
import { assessRisk } from "../risk";
import type { ContextSummary, TriageToolHost } from "../tools";
import type { CallerRef, FiledHandoff } from "./caller-ref";
import type { DraftRequest, DraftStore } from "./draft-state";
import type { IdempotencyKeys } from "./idempotency";
import { citationsFor, remember, searchForTicket } from "./knowledge";

export interface DraftingContext {
  env: Env;
  request: DraftRequest;
  store: DraftStore;
  keys: IdempotencyKeys;
  /** The round's tool-log rows, written to D1 in one batch when the round ends (ToolLog.flush). */
  log: ToolLog;
}

type ToolLogRow = typeof schema.toolInvocations.$inferInsert;

/** The D1 tool log of one round, written in one batch at its end (whatever happened). */
export class ToolLog {
  private rows: ToolLogRow[] = [];

  add(row: ToolLogRow) {
    this.rows.push(row);
  }

  /** The whole round as one row (tool `draft`, from `startedAt` to now), timed against the draft's budget in Insights → Latency. */
  addRound(request: DraftRequest, round: { round: number; attempt: number }, startedAt: number, error: string | null) {
    this.add({
      accountId: request.accountId,
      taskId: request.taskId,
      tool: DRAFT_TOOL,
      input: { round: round.round, attempt: round.attempt },
      outcome: error === null ? "ok" : "error",
      output: error === null ? null : { error },
      durationMs: Date.now() - startedAt,
      actor: `agent:${request.accountId}`,
    });
  }

  async flush(env: Env) {
    const rows = this.rows;
    this.rows = [];
    if (!rows.length) return;
    const db = getDb(env);
    const inserts = toolLogInserts(db, rows);
    await db.batch(inserts as [(typeof inserts)[number], ...(typeof inserts)[number][]]);
  }
}

export type { CallerRef, FiledHandoff } from "./caller-ref";

export function toolHost(ctx: DraftingContext): TriageToolHost {
  const { env, request, store, keys } = ctx;
  const { taskId, ticket, accountId } = request;
  // This round's summary, for the search's language (the proposal's copy is written as the stream is read).
  let summary: ContextSummary | null = null;
  return {
    ticketId: ticket.ticket_id,
    readTicket: () => logged(ctx, "read_ticket", { ticket_id: ticket.ticket_id }, async () => ticket),
    lookupEntitlement: (email) =>
      logged(ctx, "lookup_entitlement", { email }, () =>
        keys.once(`${taskId}:lookup_entitlement:${email}`, "lookup_entitlement", async () => (await entitlementOf(env, accountId, email)).entitlement),
      ),
    summarizeContext: () =>
      logged(ctx, "summarize_context", { ticket_id: ticket.ticket_id }, async (): Promise<ContextSummary> => {
        summary = await summarizeTicket(
          env,
          accountId,
          {
            id: taskId,
            subject: ticket.subject,
            body: ticket.body,
            priority: ticket.priority,
            requesterEmail: ticket.requester.email,
          },
          request.policy.routing ?? NO_ACCOUNT_ROUTING,
        );
        return summary;
      }),
    searchKnowledge: (query) =>
      logged(ctx, "search_knowledge", { query }, async () => {
        const language = summary?.language ?? store.current().triage?.language ?? null;
        const hits = await searchForTicket(env, accountId, query, language);
        // Remembered at once: the draft that cites them may be saved before the stream is read.
        store.patch({ knowledge: remember(store.current().knowledge ?? [], hits) });
        return { hits };
      }),
    fileHandoff: (queue, note) => logged(ctx, "file_handoff", { queue, note }, () => fileHandoffOnce({ env, keys, accountId, taskId }, queue, note, null)),
    saveDraft: (body, confidence, sources) =>
      logged(ctx, "draft_reply", { body, confidence, ...(sources ? { sources } : {}) }, async () => ({
        body,
        confidence,
        round: store.current().round,
        words: body.split(/\s+/).filter(Boolean).length,
        citations: citationsFor(sources, store.current().knowledge ?? []),
      })),
    autoSendAllowed: (body) => autoSendAllowed(ctx, body),
    deliverApprovedReply: (body) =>
      logged(ctx, "send_reply", { body }, async () => {
        const state = store.current();
        const decision = store.decision(state.round);
        if (!decision) {
          // No person approved: only the account's auto-send policy can let a reply through,
          // and it is checked again here rather than trusted from the model's side.
          if (!autoSendAllowed(ctx, body)) throw new Error("no human approval is recorded for this reply");
          await auditTask(env, {
            accountId,
            taskId,
            actor: `agent:${accountId}`,
            action: "decision.auto_approve",
            after: { body, automatic: true, round: state.round },
          });
          store.patch({ delivery: { body, edited: false, automatic: true } });
          return { status: "handed_to_delivery" as const, round: state.round, edited: false };
        }
        if (decision.action !== "approve" && decision.action !== "edit") throw new Error(`round ${state.round} was not approved (${decision.action})`);
        const edited = decision.action === "edit" && !!decision.body;
        store.patch({ delivery: { body: edited ? decision.body! : body, edited, automatic: false } });
        return { status: "handed_to_delivery" as const, round: decision.round, edited };
      }),
  };
}

/**
 * A reply may skip review only when the account turned auto-send on, the tier
 * does not always need a person, the text is exactly the first round's
 * unedited draft, it cites at least one of the team's articles (an uncited
 * answer always goes to a person), its confidence is high enough, and neither
 * the ticket nor the draft carries a risk flag (assessRisk).
 */
function autoSendAllowed(ctx: DraftingContext, body: string): boolean {
  const { policy } = ctx.request;
  const state = ctx.store.state();
  if (!policy.autoSend.enabled || policy.alwaysReview || !state) return false;
  if (state.round > 1 || state.revisions.length) return false;
  if (state.draft !== body || (state.confidence ?? 0) < policy.autoSend.minConfidence) return false;
  if (!state.citations?.length) return false;
  return assessRisk(ctx.request.ticket, body).length === 0;
}

/**
 * Files an internal handoff note once per task and queue (the idempotency key
 * is recorded before the help desk is called): the agent's file_handoff tool
 * and the MCP server's run this same path. `caller` is the person (and MCP
 * client) when it was not the agent.
 */
export function fileHandoffOnce(
  ctx: { env: Env; keys: IdempotencyKeys; accountId: string; taskId: string },
  queue: string,
  note: string,
  caller: CallerRef | null,
): Promise<FiledHandoff> {
  const { env, keys, taskId, accountId } = ctx;
  return keys.once(`${taskId}:file_handoff:${queue}`, "file_handoff", async () => {
    const handoffId = `h_${taskId.slice(2, 14)}_${queue}`;
    // Where the help desk has internal notes, the handoff becomes one there.
    let where = `handoffs/${handoffId}`;
    try {
      const filed = await fileInternalNote(env, taskId, `[Handoff to ${queue}] ${note}`);
      if (filed) where = filed.artifact;
    } catch (err) {
      console.warn("handoff note failed", taskId, err instanceof Error ? err.message : String(err));
    }
    await recordHandoff(env, { id: handoffId, accountId, taskId, queue, note, artifact: where });
    const actor = caller ? `${caller.actor} via mcp:${caller.client}` : `agent:${accountId}`;
    await auditTask(env, {
      accountId,
      taskId,
      actor,
      action: "handoff.filed",
      after: { queue, note, ...(caller ? { client: caller.client } : {}) },
      artifact: where,
    });
    return { handoff_id: handoffId, queue, note, status: "filed" as const };
  });
}

/** Runs a tool and logs it (with its outcome and duration) whatever happens. */
async function logged<T>(ctx: DraftingContext, tool: string, input: unknown, run: () => Promise<T>): Promise<T> {
  const start = Date.now();
  const write = (outcome: "ok" | "error", output: unknown) =>
    ctx.log.add({
      accountId: ctx.request.accountId,
      taskId: ctx.request.taskId,
      tool,
      input,
      outcome,
      output,
      durationMs: Date.now() - start,
      actor: `agent:${ctx.request.accountId}`,
    });
  try {
    const output = await run();
    write("ok", output);
    return output;
  } catch (err) {
    write("error", { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
