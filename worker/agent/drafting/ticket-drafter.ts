// One Durable Object per ticket (named by its task id) that drafts the
// ticket's proposal, one round per Workflow step: the model loop with the
// triage tools, stopping at the approval gate. Each ticket drafts on its own
// object, so one ticket's model loop never waits for another's, and the
// account agent only keeps the queue's small rows. Called only by the triage
// Workflow (and the MCP server's file_handoff); never reachable from a browser.
//
// Read top to bottom: the Workflow's calls, the model loop, the stream of
// tool calls mirrored into the proposal, reading it back.
import { DurableObject } from "cloudflare:workers";
import { type ModelMessage, stepCountIs, streamText, type TextStreamPart } from "ai";
import type { DecisionEvent } from "../../domain/decision-events";
import type { Citation } from "../../domain/knowledge";
import type { Entitlement, Json, Proposal, TriageSignals } from "../../domain/types";
import { operatingState } from "../../policy/operating-state";
import { type DraftingModel, draftingModel, triageSystemPrompt } from "../models/model";
import { REJECT_PREFIX, REVISE_PREFIX } from "../models/offline-model";
import { proposedReplyModel, sentBack } from "../models/proposed-reply";
import { assessRisk } from "../risk";
import { sqlOf } from "../sql";
import { accountAgent, type QueueFields, type RoundResult } from "../stubs";
import { type ContextSummary, type TriageTools, triageTools } from "../tools";
import { createDraftStateTables, type DraftPhase, type DraftRequest, type DraftState, DraftStore } from "./draft-state";
import { createIdempotencyTable, IdempotencyKeys } from "./idempotency";
import { suggestedReply } from "./knowledge";
import { sampleRound } from "./sample-capture";
import { createThreadTable, Thread } from "./thread";
import { createToolCallTable, ToolCalls } from "./tool-calls";
import { type CallerRef, type DraftingContext, type FiledHandoff, fileHandoffOnce, ToolLog, toolHost } from "./tool-host";

/** A closed ticket's drafting record is kept this long, then deleted (D1 keeps the audit trail and tool log). */
const KEEP_CLOSED_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A round's progress reaches the queue row at most this often while it runs
 * (a slow hosted model shows progress; a fast round sends nothing extra: its
 * fields travel with the Workflow's status update at the end).
 */
const PROGRESS_EVERY_MS = 2_000;

interface RunProgress {
  started: Map<string, number>;
  text: string;
  /** Why this round drafts with the offline model instead of the account's choice (a step of the plan), or null. */
  fallback: string | null;
}

export class TicketDrafter extends DurableObject<Env> {
  private readonly sql = sqlOf(this.ctx.storage);
  private readonly store = new DraftStore(this.sql);
  private readonly thread = new Thread(this.sql);
  private readonly calls = new ToolCalls(this.sql);
  private readonly keys = new IdempotencyKeys(this.sql);
  private readonly toolLog = new ToolLog();
  /** This round's queue fields so far, and when the row last heard of them. */
  private progress: { fields: QueueFields; pushedAt: number } = { fields: {}, pushedAt: 0 };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.createTables();
  }

  /** The drafter's tables; one look at the catalogue when they are already there (most starts). */
  private createTables() {
    const [{ n }] = this.sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table'
      and name in ('drafting_session', 'applied_decisions', 'thread_messages', 'tool_calls', 'idempotency_keys')`;
    if (n === 5) return;
    createDraftStateTables(this.sql);
    createThreadTable(this.sql);
    createToolCallTable(this.sql);
    createIdempotencyTable(this.sql);
  }

  // ── the Workflow's calls ─────────────────────────────────────────────────

  /** Round 1. A retried step gets the finished round back, or resumes an interrupted one. */
  async start(request: DraftRequest): Promise<RoundResult> {
    if (!this.store.request()) {
      // A proposal from an MCP client always waits for a person, and files no handoff of its own.
      const policy = request.proposed
        ? { ...request.policy, handoffQueue: null, alwaysReview: true, autoSend: { enabled: false, minConfidence: 1 } }
        : request.policy;
      this.store.saveRequest({ ...request, policy });
      this.store.saveState({
        round: 1,
        attempt: 0,
        phase: "drafting",
        summary: null,
        category: null,
        priority: request.ticket.priority,
        confidence: null,
        entitlement: request.entitlement,
        draft: null,
        handoff: null,
        plan: [],
        risk: [],
        revisions: [],
        delivery: null,
        outcome: null,
        updatedAt: "",
      });
      // Only trusted metadata in the prompt; the ticket text reaches the model through read_ticket's result.
      this.thread.save([{ role: "user", content: taskHeader(request, policy) }]);
      // The Workflow just looked the requester up: the tool's same lookup returns that, not a second call.
      this.keys.record(`${request.taskId}:lookup_entitlement:${request.ticket.requester.email}`, "lookup_entitlement", request.entitlement);
    }
    const state = this.store.current();
    if (state.phase === "closed") throw new Error(`task ${request.taskId} is already closed`);
    if (state.round > 1 || state.phase !== "drafting") return this.result();
    return this.runRound();
  }

  /**
   * A person's decision on the current round, handed on by the Workflow. Approve
   * and edit run send_reply (the approval gate opens); revise redrafts (the next
   * round); reject stops. Applying the same decision again returns what it did.
   */
  async applyDecision(d: DecisionEvent): Promise<RoundResult> {
    const state = this.store.current();
    if (state.phase === "closed") throw new Error(`task ${this.request().taskId} is already closed`);
    if (this.store.decision(d.round)) {
      return state.phase === "drafting" ? this.runRound() : this.result();
    }
    if (state.phase === "no_proposal" && d.round === state.round) return this.applyOwnReply(d);
    const approval = this.thread.pendingApproval();
    if (d.round !== state.round || state.phase !== "awaiting_review" || !approval) {
      throw new Error(`task ${this.request().taskId} is not waiting for a decision on round ${d.round} (round ${state.round}, ${state.phase})`);
    }
    this.store.recordDecision(d);
    const approved = d.action === "approve" || d.action === "edit";
    const reason = d.action === "revise" ? `${REVISE_PREFIX} ${d.note}` : d.action === "reject" ? `${REJECT_PREFIX} ${d.note ?? "no reason given"}` : undefined;
    this.thread.save([
      ...this.thread.messages(),
      { role: "tool", content: [{ type: "tool-approval-response", approvalId: approval.approvalId, approved, ...(reason ? { reason } : {}) }] },
    ]);
    this.store.patch({
      phase: "drafting",
      attempt: 0,
      ...(d.action === "revise"
        ? { round: d.round + 1, revisions: [...state.revisions, { round: d.round, note: d.note ?? "", by: d.actor, at: new Date().toISOString() }] }
        : {}),
    });
    return this.runRound();
  }

  /**
   * The model proposed nothing this round (no_proposal): a person wrote the
   * reply (an edit, sent as they wrote it) or rejected the task. Nothing else
   * applies: there is no draft to approve or send back.
   */
  private applyOwnReply(d: DecisionEvent): RoundResult {
    if (d.action === "edit" && d.body) {
      this.store.recordDecision(d);
      this.store.patch({ phase: "handed_to_delivery", delivery: { body: d.body, edited: true, automatic: false }, suggested: null });
      return this.result();
    }
    if (d.action === "reject") {
      this.store.recordDecision(d);
      this.store.patch({ phase: "stopped", suggested: null });
      return this.result();
    }
    throw new Error(`task ${this.request().taskId} has no proposed reply: a person writes it (edit) or rejects it, not ${d.action}`);
  }

  /**
   * The MCP server's file_handoff: the same once-per-task-and-queue path as the
   * agent's own tool, also for a ticket that is not (or no longer) drafting.
   */
  async fileHandoffFor(accountId: string, taskId: string, queue: string, note: string, caller: CallerRef): Promise<FiledHandoff> {
    const owner = this.store.request()?.accountId;
    if (owner && owner !== accountId) throw new Error(`task ${taskId} is not in account ${accountId}`);
    const filed = await fileHandoffOnce({ env: this.env, keys: this.keys, accountId, taskId }, queue, note, caller);
    const state = this.store.state();
    if (state && state.phase !== "closed") {
      this.store.patch({ handoff: { queue: filed.queue, note: filed.note } });
      await this.pushToQueue({ handoffQueue: filed.queue });
    }
    return filed;
  }

  /** The Workflow ended the task. The record stays a week for the reviewer's history, then goes. */
  async close(outcome: string): Promise<void> {
    if (!this.store.state()) return;
    this.store.patch({ phase: "closed", outcome });
    await this.ctx.storage.setAlarm(Date.now() + KEEP_CLOSED_MS);
  }

  async alarm() {
    if (this.store.state()?.phase !== "closed") return;
    await this.ctx.storage.deleteAll();
    this.store.forget();
    this.createTables();
  }

  /** Everything a reviewer sees, or null when this drafter has no ticket (never started, or deleted after closing). */
  async detail(): Promise<(Omit<Proposal, "status"> & { accountId: string; phase: DraftPhase }) | null> {
    const request = this.store.request();
    const state = this.store.state();
    if (!request || !state) return null;
    const { ticket } = request;
    return {
      accountId: request.accountId,
      phase: state.phase,
      taskId: request.taskId,
      ticketId: ticket.ticket_id,
      subject: ticket.subject,
      body: ticket.body,
      requester: ticket.requester,
      requesterNote: ticket.requester_note ?? null,
      attachments: ticket.attachments ?? [],
      receivedAt: ticket.received_at,
      round: state.round,
      summary: state.summary,
      category: state.category,
      priority: state.priority,
      confidence: state.confidence,
      triage: state.triage ?? null,
      entitlement: state.entitlement,
      toolCalls: this.calls.list(),
      plan: state.plan,
      draft: state.draft,
      citations: state.citations ?? [],
      suggestedReply: state.phase === "no_proposal" ? (state.suggested ?? null) : null,
      handoff: state.handoff,
      revisions: state.revisions,
      dueAt: request.dueAt,
      risk: state.risk,
      origin: request.proposed
        ? { kind: "mcp", client: request.proposed.clientName, by: request.proposed.proposedBy, inReplyTo: request.proposed.inReplyTo }
        : null,
      updatedAt: state.updatedAt,
    };
  }

  /** The account the ticket belongs to (the Worker checks it before showing anything). */
  async accountOf(): Promise<string | null> {
    return this.store.request()?.accountId ?? null;
  }

  // ── the model loop ───────────────────────────────────────────────────────

  /** Runs the model on the thread until it stops (usually at the approval gate). */
  private async runRound(): Promise<RoundResult> {
    const startedAt = Date.now();
    let failure: string | null = null;
    const request = this.request();
    const state = this.store.patch({ phase: "drafting", attempt: this.store.current().attempt + 1 });
    this.calls.forgetAttempt(state.round, state.attempt);
    this.progress = { fields: {}, pushedAt: Date.now() };
    const messages = this.thread.messages();
    const tools = Object.fromEntries(
      Object.entries(triageTools(toolHost(this.context()))).filter(([name]) => !request.policy.disabledTools.includes(name)),
    ) as TriageTools;
    const { model, fallback } = await this.modelFor(messages);
    const run: RunProgress = { started: new Map(), text: "", fallback: fallback && `Drafted with the built-in offline model: ${fallback}.` };
    if (run.fallback) {
      console.warn("drafting model unavailable", request.taskId, fallback);
      this.store.patch({ plan: [run.fallback] });
    }
    const system = triageSystemPrompt(request.accountName, request.policy.routing?.categories ?? []);
    try {
      const result = streamText({
        model,
        system,
        messages,
        tools,
        stopWhen: stepCountIs(16),
      });
      for await (const part of result.fullStream) await this.applyStreamPart(part, run);
      messages.push(...(await result.responseMessages));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      failure = message;
      this.store.patch({ plan: withFallback(run, [`Drafting failed: ${message}. The Workflow retries.`]) });
      throw err;
    } finally {
      this.toolLog.addRound(request, state, startedAt, failure);
      await this.toolLog.flush(this.env).catch((err: unknown) => console.error("tool log not written", err instanceof Error ? err.message : String(err)));
    }
    this.thread.save(messages);
    // A share of rounds is kept, redacted, for quality review; an MCP client's proposal is its own text, not the model's.
    if (!request.proposed) {
      const { accountId, taskId } = request;
      await sampleRound(this.env, { accountId, taskId, state: this.store.current(), system, messages, model, calls: this.calls });
    }

    const after = this.store.current();
    const decision = this.store.decision(after.round);
    const phase: DraftPhase = after.delivery
      ? "handed_to_delivery"
      : decision?.action === "reject"
        ? "stopped"
        : this.thread.pendingApproval()
          ? "awaiting_review"
          : "no_proposal";
    this.store.patch({
      phase,
      ...(phase === "awaiting_review" ? { plan: withFallback(run, ["Waiting for a person to approve, edit, reject or send back"]) } : {}),
      ...(phase === "no_proposal" ? { plan: withFallback(run, ["The model stopped without proposing a reply; it needs a person."]) } : {}),
      ...(phase !== "awaiting_review" && phase !== "no_proposal" && run.fallback ? { plan: withFallback(run, after.plan) } : {}),
      // A person writes this round's reply: they start from the best article's answer, or the holding reply.
      suggested: phase === "no_proposal" ? await suggestedReply(this.env, request, after) : null,
    });
    return this.result();
  }

  /** An MCP client's proposal drafts exactly its text; otherwise the model the account chose, read each round (a change applies to the next round). */
  private async modelFor(messages: ModelMessage[]): Promise<DraftingModel> {
    const { proposed, accountId } = this.request();
    if (proposed && !sentBack(messages)) return { model: proposedReplyModel(proposed), fallback: null };
    const { policy } = await operatingState(this.env, accountId);
    return draftingModel(this.env, policy.draftingModel);
  }

  // ── the stream, mirrored into the proposal ──────────────────────────────

  private async applyStreamPart(part: TextStreamPart<TriageTools>, run: RunProgress) {
    switch (part.type) {
      case "text-delta":
        run.text += part.text;
        break;
      case "text-end": {
        // The model states its plan on a line starting with "Plan:".
        const plan = run.text.match(/Plan:\s*(.+)/)?.[1];
        if (plan) this.store.patch({ plan: withFallback(run, plan.split(/\s*(?:→|->|,|;)\s*/).filter(Boolean)) });
        run.text = "";
        break;
      }
      case "tool-call": {
        run.started.set(part.toolCallId, Date.now());
        const { round, attempt } = this.store.current();
        this.calls.started(part.toolCallId, round, attempt, part.toolName, part.input as Json);
        break;
      }
      case "tool-result": {
        const durationMs = Date.now() - (run.started.get(part.toolCallId) ?? Date.now());
        this.calls.update(part.toolCallId, { status: part.toolName === "send_reply" ? "approved" : "done", output: part.output as Json, durationMs });
        const { fields, queue } = fieldsFromToolResult(part.toolName, part.output, this.request().ticket);
        if (Object.keys(fields).length) this.store.patch(fields);
        if (queue) await this.progressed(queue);
        break;
      }
      case "tool-error":
        this.calls.update(part.toolCallId, { status: "error", output: { error: String(part.error) } });
        break;
      case "tool-approval-request":
        this.calls.update(part.toolCall.toolCallId, { status: "awaiting_approval" });
        break;
      case "tool-output-denied":
        this.calls.update(part.toolCallId, { status: "denied" });
        break;
    }
  }

  /** The queue row shows what a round learned (tier, category, confidence, risk); a small update, never the tool outputs. */
  private async pushToQueue(fields: QueueFields) {
    const { accountId, taskId } = this.request();
    await (await accountAgent(this.env, accountId)).updateProposal(taskId, fields);
  }

  private async progressed(fields: QueueFields) {
    this.progress.fields = { ...this.progress.fields, ...fields };
    if (Date.now() - this.progress.pushedAt < PROGRESS_EVERY_MS) return;
    this.progress.pushedAt = Date.now();
    await this.pushToQueue(this.progress.fields);
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  private request(): DraftRequest {
    const r = this.store.request();
    if (!r) throw new Error("this drafter has no ticket yet");
    return r;
  }

  private context(): DraftingContext {
    return { env: this.env, request: this.request(), store: this.store, keys: this.keys, log: this.toolLog };
  }

  private result(): RoundResult {
    const s = this.store.current();
    return {
      round: s.round,
      phase: s.phase,
      delivery: s.delivery,
      queueFields: {
        tier: s.entitlement?.tier ?? null,
        category: s.category,
        priority: s.priority,
        confidence: s.confidence,
        risk: s.risk.map((r) => r.kind),
        handoffQueue: s.handoff?.queue ?? null,
        noProposal: s.phase === "no_proposal",
      },
      proposal: {
        summary: s.summary,
        category: s.category,
        language: s.triage?.language ?? null,
        priority: s.priority,
        confidence: s.confidence,
        risk: s.risk,
        entitlement: s.entitlement,
        draft: s.draft,
        toolCalls: this.calls.list().map((c) => ({ tool: c.tool, input: c.input, status: c.status })),
      },
    };
  }
}

/** A plan that says first when the round drafted with the offline model instead of the account's choice. */
function withFallback(run: RunProgress, plan: string[]): string[] {
  return run.fallback ? [run.fallback, ...plan.filter((step) => step !== run.fallback)] : plan;
}

/** The first user message: trusted metadata only, never ticket text. */
function taskHeader(request: DraftRequest, policy: DraftRequest["policy"]): string {
  return [
    "New ticket to triage.",
    `ticket_id: ${request.ticket.ticket_id}`,
    `requester_email: ${request.ticket.requester.email}`,
    `account_name: ${request.accountName}`,
    // The account's policy for this tier, not the model's judgement.
    ...(policy.handoffQueue && !policy.disabledTools.includes("file_handoff") ? [`handoff_queue: ${policy.handoffQueue}`] : []),
  ].join("\n");
}

/** What a tool's result changes in the proposal, and in its queue row. */
function fieldsFromToolResult(
  toolName: string,
  output: unknown,
  ticket: { subject: string; body: string },
): { fields: Partial<DraftState>; queue: QueueFields | null } {
  switch (toolName) {
    case "lookup_entitlement": {
      const e = output as Entitlement;
      return { fields: { entitlement: e }, queue: { tier: e.tier } };
    }
    case "summarize_context": {
      const c = output as ContextSummary;
      const triage: TriageSignals = {
        language: c.language,
        languageDetected: c.languageDetected,
        categoryConfidence: c.categoryConfidence,
        categoryName: c.categoryName,
        handoffQueue: c.handoffQueue,
        handoffReason: c.handoffReason,
        urgency: c.urgency,
        sentiment: c.sentiment,
        intent: c.intent,
      };
      return { fields: { summary: c.summary, category: c.category, priority: c.priority, triage }, queue: { category: c.category, priority: c.priority } };
    }
    case "file_handoff": {
      const h = output as { queue: string; note?: string };
      return { fields: { handoff: { queue: h.queue, note: h.note ?? "" } }, queue: { handoffQueue: h.queue } };
    }
    case "draft_reply": {
      const d = output as { body: string; confidence: number; citations?: Citation[] };
      // Judged on what the customer wrote and on what we would send.
      const risk = assessRisk(ticket, d.body);
      return {
        fields: { draft: d.body, confidence: d.confidence, citations: d.citations ?? [], risk },
        queue: { confidence: d.confidence, risk: risk.map((r) => r.kind) },
      };
    }
    default:
      return { fields: {}, queue: null };
  }
}
