// The account agent: one Durable Object per support account. It drafts a
// proposal for each ticket with AI SDK tool calls, syncs every open proposal
// to the account's dashboards, and stops before sending until a person
// decides. Read top to bottom: lifecycle, triage, decisions, tool host, helpers.
import { AIChatAgent } from "@cloudflare/ai-chat";
import { callable, getCurrentAgent, type Connection, type ConnectionContext } from "agents";
import { convertToModelMessages, stepCountIs, streamText, type ModelMessage, type TextStreamPart } from "ai";
import { lookupEntitlement } from "../billing/entitlements";
import { fileInternalNote } from "../connectors/deliver";
import { currentConnectionRole, type ConnectionIdentity } from "../auth/connection-identity";
import { getDb, schema } from "../db/client";
import { operatingState } from "../operations/settings";
import { parseDecision } from "../services/decisions";
import type { DecisionEvent } from "../workflows/events";
import {
  ROLE_RANK,
  type AccountAgentState,
  type DecisionInput,
  type DecisionResult,
  type Entitlement,
  type Json,
  type Proposal,
  type Role,
  type ToolCallRecord,
} from "../types";
import { detectRisk } from "../policy/risk";
import { createDelegationTable, DelegatedTokenStore, type DelegatedAccess, type DelegatedConnection, type DelegatedTokenInput, type RotationResult } from "../delegation/store";
import { summarizeTicket } from "./context";
import { triageModel, triageSystemPrompt } from "./model";
import { proposedReplyModel, sentBack, type ProposedReply } from "./proposed-reply";
import { REJECT_PREFIX, REVISE_PREFIX } from "./offline-model";
import { triageTools, type ContextSummary, type TicketView, type TriageToolHost, type TriageTools } from "./tools";

/** The parts of the account's policy that apply to one task. */
export interface TaskPolicy {
  /** File a handoff to this queue for every ticket of the tier. */
  handoffQueue: string | null;
  /** Never auto-send for this tier. */
  alwaysReview: boolean;
  autoSend: { enabled: boolean; minConfidence: number };
  disabledTools: string[];
}

/** What the Workflow hands over to start drafting. */
export interface TriageRequest {
  taskId: string;
  accountName: string;
  ticket: TicketView;
  entitlement: Entitlement;
  policy: TaskPolicy;
  dueAt: string | null;
  /** Set when an MCP client proposed the reply (worker/mcp/propose.ts): the agent drafts exactly this text. */
  proposed?: (ProposedReply & { inReplyTo: string }) | null;
}

const REVIEW_EVERYTHING: TaskPolicy = { handoffQueue: null, alwaysReview: true, autoSend: { enabled: false, minConfidence: 1 }, disabledTools: [] };

export interface AgentAction {
  taskId: string | null;
  action: string;
  detail: Json;
  at: string;
}

export type DecideOutcome = DecisionResult | { error: string; status: number };

export const IDENTITY_HEADER = "x-support-triage-identity";

const MAX_ACTIONS = 50;

/** What one model run has streamed so far. */
interface RunProgress {
  started: Map<string, number>;
  text: string;
}

/** Who made a tool call or an audited change, when it was not the agent itself. */
export interface CallerRef {
  /** `user:<email>` */
  actor: string;
  /** The MCP client's name. */
  client: string;
}

export class SupportAgent extends AIChatAgent<Env, AccountAgentState> {
  initialState: AccountAgentState = { proposals: [] };

  // ── lifecycle ────────────────────────────────────────────────────────────

  async onStart() {
    this.sql`create table if not exists task_digests (
      task_id text primary key, ticket_id text not null, ticket text not null,
      entitlement text, account_name text not null, received_at text not null)`;
    this.sql`create table if not exists task_threads (
      task_id text primary key, messages text not null, status text not null,
      outcome text, updated_at text not null)`;
    this.sql`create table if not exists agent_actions (
      id integer primary key autoincrement, task_id text, action text not null,
      detail text, at text not null)`;
    this.sql`create table if not exists idempotency_keys (
      key text primary key, task_id text not null, tool text not null,
      status text not null, result text, created_at text not null)`;
    this.sql`create table if not exists pending_decisions (
      task_id text primary key, action text not null, body text, actor text not null, round integer not null)`;
    this.sql`create table if not exists task_policies (task_id text primary key, policy text not null)`;
    // Replies an MCP client proposed: the task drafts exactly this text (worker/agents/proposed-reply.ts).
    this.sql`create table if not exists proposed_replies (task_id text primary key, proposal text not null)`;
    // Tasks holding one of the account's in-flight slots (backpressure).
    this.sql`create table if not exists in_flight (task_id text primary key, since text not null)`;
    // Fixed one-minute windows for the account's rate limits.
    this.sql`create table if not exists rate_windows (bucket text not null, window integer not null, count integer not null,
      primary key (bucket, window))`;
    // Each person's delegated OAuth tokens for the help desk, sealed (worker/delegation/store.ts).
    createDelegationTable((strings, ...values) => this.sql(strings, ...values));
  }

  /** Dashboards read state; only the agent writes it. */
  validateStateChange(_next: AccountAgentState, source: Connection | "server") {
    if (source !== "server") throw new Error("dashboards cannot change the agent's state");
  }

  async onConnect(connection: Connection, ctx: ConnectionContext) {
    const raw = ctx.request.headers.get(IDENTITY_HEADER);
    if (!raw) {
      // Only the Worker's authenticated upgrade path sets this header.
      connection.close(4401, "not signed in");
      return;
    }
    connection.setState({ identity: JSON.parse(raw) as ConnectionIdentity });
    await super.onConnect(connection, ctx);
  }

  /** Free-form chat with the account's agent (the dashboard's assistant panel). */
  async onChatMessage() {
    const open = this.state.proposals
      .map((p) => `- ${p.taskId}: "${p.subject}" (${p.status}, ${p.priority}, round ${p.round})`)
      .join("\n");
    const result = streamText({
      model: triageModel(this.env),
      system: `You help the support team of account ${this.name}. Open proposals:\n${open || "(none)"}\nYou cannot send anything from chat; replies go through the review queue.`,
      messages: await convertToModelMessages(this.messages),
    });
    return result.toUIMessageStreamResponse();
  }

  // ── triage ───────────────────────────────────────────────────────────────

  /**
   * Drafts a proposal for one ticket and stops at the approval gate. Called by
   * the Workflow's draft step; a retried step gets the same proposal back.
   */
  async startTriage(req: TriageRequest): Promise<Proposal> {
    const existing = this.thread(req.taskId);
    const current = this.proposal(req.taskId);
    if (existing && current && current.status !== "drafting") return current;
    if (existing?.status === "closed") throw new Error(`task ${req.taskId} is already closed`);

    this.sql`insert or replace into task_digests (task_id, ticket_id, ticket, entitlement, account_name, received_at)
      values (${req.taskId}, ${req.ticket.ticket_id}, ${JSON.stringify(req.ticket)}, ${JSON.stringify(req.entitlement)},
              ${req.accountName}, ${req.ticket.received_at})`;
    // A proposal from an MCP client always waits for a person, and files no handoff of its own.
    const policy: TaskPolicy = req.proposed
      ? { ...req.policy, handoffQueue: null, alwaysReview: true, autoSend: { enabled: false, minConfidence: 1 } }
      : req.policy;
    this.sql`insert or replace into task_policies (task_id, policy) values (${req.taskId}, ${JSON.stringify(policy)})`;
    if (req.proposed) {
      const { inReplyTo: _inReplyTo, ...proposed } = req.proposed;
      this.sql`insert or replace into proposed_replies (task_id, proposal) values (${req.taskId}, ${JSON.stringify(proposed)})`;
    }
    this.upsertProposal({
      taskId: req.taskId,
      ticketId: req.ticket.ticket_id,
      subject: req.ticket.subject,
      body: req.ticket.body,
      requester: req.ticket.requester,
      receivedAt: req.ticket.received_at,
      round: 1,
      status: "drafting",
      summary: null,
      category: null,
      priority: req.ticket.priority,
      confidence: null,
      entitlement: req.entitlement,
      toolCalls: [],
      plan: [],
      draft: null,
      handoff: null,
      revisions: [],
      dueAt: req.dueAt,
      risk: [],
      origin: req.proposed ? { kind: "mcp", client: req.proposed.clientName, by: req.proposed.proposedBy, inReplyTo: req.proposed.inReplyTo } : null,
      updatedAt: new Date().toISOString(),
    });
    this.recordAction(req.taskId, "triage.started", { ticketId: req.ticket.ticket_id, ...(req.proposed ? { proposedBy: req.proposed.proposedBy, client: req.proposed.clientName } : {}) });

    // Each ticket runs on its own thread: only trusted metadata in the prompt;
    // the ticket text reaches the model through read_ticket's result.
    const messages: ModelMessage[] = [
      {
        role: "user",
        content: [
          "New ticket to triage.",
          `ticket_id: ${req.ticket.ticket_id}`,
          `requester_email: ${req.ticket.requester.email}`,
          `account_name: ${req.accountName}`,
          // The account's policy for this tier, not the model's judgement.
          ...(policy.handoffQueue && !policy.disabledTools.includes("file_handoff") ? [`handoff_queue: ${policy.handoffQueue}`] : []),
        ].join("\n"),
      },
    ];
    await this.runThread(req.taskId, messages);
    return this.proposal(req.taskId)!;
  }

  getProposals(): Proposal[] {
    return this.state.proposals;
  }

  getProposal(taskId: string): Proposal | null {
    return this.proposal(taskId) ?? null;
  }

  /** The Workflow closes a task when it is sent, rejected, expired or failed. */
  closeTask(taskId: string, outcome: string): void {
    const thread = this.thread(taskId);
    if (thread) {
      this.sql`update task_threads set status = 'closed', outcome = ${outcome}, updated_at = ${now()} where task_id = ${taskId}`;
    } else {
      this.sql`insert into task_threads (task_id, messages, status, outcome, updated_at) values (${taskId}, '[]', 'closed', ${outcome}, ${now()})`;
    }
    this.sql`delete from pending_decisions where task_id = ${taskId}`;
    this.releaseTask(taskId);
    this.setState({ proposals: this.state.proposals.filter((p) => p.taskId !== taskId) });
    this.recordAction(taskId, "task.closed", { outcome });
  }

  // ── backpressure and rate limits (single-threaded here, so exact) ───────

  /** Takes an in-flight slot for a task if the account has one free (or it already holds one). */
  admitTask(taskId: string, maxInFlight: number): boolean {
    if (this.sql`select 1 from in_flight where task_id = ${taskId}`.length) return true;
    const [{ n }] = this.sql<{ n: number }>`select count(*) as n from in_flight`;
    if (n >= maxInFlight) return false;
    this.sql`insert into in_flight (task_id, since) values (${taskId}, ${now()})`;
    return true;
  }

  releaseTask(taskId: string): void {
    this.sql`delete from in_flight where task_id = ${taskId}`;
  }

  /** Counts one event in `bucket`'s current minute; refuses past `perMinute` and says when to retry. */
  consumeRate(bucket: string, perMinute: number, nowMs = Date.now()): { ok: boolean; retryAfterSeconds: number } {
    const window = Math.floor(nowMs / 60_000);
    this.sql`delete from rate_windows where window < ${window}`;
    const count = this.sql<{ count: number }>`select count from rate_windows where bucket = ${bucket} and window = ${window}`[0]?.count ?? 0;
    if (count >= perMinute) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * 60_000 - nowMs) / 1000)) };
    this.sql`insert into rate_windows (bucket, window, count) values (${bucket}, ${window}, 1)
      on conflict(bucket, window) do update set count = count + 1`;
    return { ok: true, retryAfterSeconds: 0 };
  }

  /** The last actions this agent took (newest first), at most 50. */
  recentActions(): AgentAction[] {
    return this.sql<{ task_id: string | null; action: string; detail: string | null; at: string }>`
      select task_id, action, detail, at from agent_actions order by id desc limit ${MAX_ACTIONS}`.map((r) => ({
      taskId: r.task_id,
      action: r.action,
      detail: r.detail ? (JSON.parse(r.detail) as Json) : null,
      at: r.at,
    }));
  }

  // ── delegated tokens (per person; RPC from the Worker only, never @callable) ──

  private delegationStore: DelegatedTokenStore | null = null;
  private get delegations(): DelegatedTokenStore {
    this.delegationStore ??= new DelegatedTokenStore((strings, ...values) => this.sql(strings, ...values), this.env, this.name);
    return this.delegationStore;
  }

  /** After a person's code exchange: seals and stores their tokens. Returns the connection without tokens. */
  async storeDelegatedToken(person: string, provider: string, tokens: DelegatedTokenInput): Promise<DelegatedConnection> {
    const connection = await this.delegations.store(person, provider, tokens);
    this.recordAction(null, "delegation.connected", { person, provider, scopesGranted: connection.scopesGranted });
    return connection;
  }

  /** One person's connections, or everyone's ("*"): scopes and times, never tokens. */
  listDelegatedConnections(person: string): DelegatedConnection[] {
    return this.delegations.list(person);
  }

  /** Revokes (at the provider, best effort) and deletes connections; the caller audits with the actor. */
  async revokeDelegated(person: string, provider: string, actor: string): Promise<DelegatedConnection[]> {
    const revoked = await this.delegations.revoke(person, provider);
    this.recordAction(null, "delegation.revoked", { person, provider, actor, count: revoked.length });
    return revoked;
  }

  /** Forces a refresh now (new access and refresh token); the caller audits with the actor. */
  async rotateDelegated(person: string, provider: string, actor: string): Promise<RotationResult> {
    const result = await this.delegations.rotate(person, provider);
    this.recordAction(null, "delegation.rotated", { person, provider, actor, rotated: result.rotated.length, failed: result.failed.length });
    return result;
  }

  /**
   * For the delivery path only (server-side): the person's access token if
   * their grant covers `requiredScopes`, refreshed when it expires within 5
   * minutes. Never reaches a browser.
   */
  delegatedAccessToken(person: string, provider: string, requiredScopes: string[]): Promise<DelegatedAccess> {
    return this.delegations.accessToken(person, provider, requiredScopes);
  }

  // ── decisions ────────────────────────────────────────────────────────────

  /** A dashboard's WebSocket asks to decide; the connection's identity decides who. */
  @callable()
  async decideAsConnection(taskId: string, raw: unknown): Promise<DecideOutcome> {
    const identity = (getCurrentAgent().connection?.state as { identity?: ConnectionIdentity } | null)?.identity;
    if (!identity) return { error: "not signed in", status: 401 };
    // The connection may be hours old: the session and the membership must still hold now.
    const role = await currentConnectionRole(this.env, identity, this.name);
    if (!role) return { error: "your session has ended or you are no longer a member of this account: sign in again", status: 401 };
    if (ROLE_RANK[role] < ROLE_RANK.agent) return { error: "this needs the agent role", status: 403 };
    let input: DecisionInput;
    try {
      input = parseDecision(raw);
    } catch (err) {
      return { error: err instanceof Error ? err.message : "invalid decision", status: 400 };
    }
    const ops = await operatingState(this.env, this.name);
    if (ops.frozen) return { error: `account "${this.name}" is frozen: its tasks are read-only`, status: 423 };
    const rate = this.consumeRate(`decisions:${identity.email}`, ops.decisionsPerMinute);
    if (!rate.ok) return { error: `too many decisions: the limit is ${ops.decisionsPerMinute} per minute per person`, status: 429 };
    return this.decide(taskId, input, `user:${identity.email}`);
  }

  /**
   * Applies a human decision. The check and the status change happen before
   * the first await, so two reviewers deciding at once cannot both win.
   */
  async decide(taskId: string, input: DecisionInput, actor: string): Promise<DecideOutcome> {
    const proposal = this.proposal(taskId);
    if (!proposal) {
      const thread = this.thread(taskId);
      if (thread?.status === "closed") return { error: `task ${taskId} is already closed (${thread.outcome})`, status: 409 };
      return { error: `no task ${taskId} in this account`, status: 404 };
    }
    if (proposal.status !== "awaiting_review") {
      return { error: `task ${taskId} is not awaiting review (it is ${proposal.status})`, status: 409 };
    }
    const round = proposal.round;
    const approval = this.pendingApproval(taskId);
    if (!approval) return { error: `task ${taskId} has no proposal to decide on`, status: 409 };

    const nextStatus = input.action === "approve" || input.action === "edit" ? "sending" : input.action === "revise" ? "drafting" : "closed";
    this.patchProposal(taskId, {
      status: nextStatus,
      ...(input.action === "revise"
        ? { round: round + 1, revisions: [...proposal.revisions, { round, note: input.note!, by: actor, at: now() }] }
        : {}),
    });
    this.recordAction(taskId, `decision.${input.action}`, { round, actor, note: input.note ?? null });
    await this.audit(taskId, actor, `decision.${input.action}`, { draft: proposal.draft, round }, {
      body: input.body ?? null,
      note: input.note ?? null,
    });

    const messages = this.threadMessages(taskId);
    if (input.action === "approve" || input.action === "edit") {
      this.sql`insert or replace into pending_decisions (task_id, action, body, actor, round)
        values (${taskId}, ${input.action}, ${input.body ?? null}, ${actor}, ${round})`;
      messages.push({ role: "tool", content: [{ type: "tool-approval-response", approvalId: approval.approvalId, approved: true }] });
    } else {
      // Denials reach the Workflow directly; the model hears why through the denial reason.
      await this.notifyWorkflow(taskId, round, {
        action: input.action,
        actor,
        round,
        ...(input.note ? { note: input.note } : {}),
      });
      const reason = input.action === "revise" ? `${REVISE_PREFIX} ${input.note}` : `${REJECT_PREFIX} ${input.note ?? "no reason given"}`;
      messages.push({ role: "tool", content: [{ type: "tool-approval-response", approvalId: approval.approvalId, approved: false, reason }] });
    }
    await this.runThread(taskId, messages);
    const after = this.proposal(taskId);
    return {
      taskId,
      action: input.action,
      status: input.action === "reject" ? "rejected" : input.action === "revise" ? (after?.status === "awaiting_review" ? "awaiting_review" : "drafting") : "sending",
      round: after?.round ?? round,
    };
  }

  // ── the model loop ───────────────────────────────────────────────────────

  /** Runs the model on one task's thread until it stops (usually at the approval gate). */
  private async runThread(taskId: string, messages: ModelMessage[]): Promise<void> {
    const digest = this.digest(taskId);
    const policy = this.policyOf(taskId);
    const tools = Object.fromEntries(
      Object.entries(triageTools(this.toolHost(taskId))).filter(([name]) => !policy.disabledTools.includes(name)),
    ) as TriageTools;
    const run: RunProgress = { started: new Map(), text: "" };
    try {
      const result = streamText({
        model: this.modelFor(taskId, messages),
        system: triageSystemPrompt(digest.accountName),
        messages,
        tools,
        stopWhen: stepCountIs(16),
      });
      for await (const part of result.fullStream) this.applyStreamPart(taskId, part, run);
      messages.push(...(await result.responseMessages));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.recordAction(taskId, "model.error", { message });
      this.saveThread(taskId, messages);
      this.patchProposal(taskId, { status: "drafting", plan: [`Drafting failed: ${message}. The Workflow retries.`] });
      throw err;
    }
    this.saveThread(taskId, messages);
    const proposal = this.proposal(taskId);
    if (!proposal || proposal.status === "closed") {
      this.setState({ proposals: this.state.proposals.filter((p) => p.taskId !== taskId) });
      return;
    }
    if (proposal.status === "drafting") {
      // The model finished without proposing a reply: a person has to write one.
      const pending = this.pendingApproval(taskId);
      this.patchProposal(taskId, {
        status: pending ? "awaiting_review" : "drafting",
        plan: pending ? [] : ["The model stopped without proposing a reply; it needs a person."],
      });
    }
  }

  /** Mirrors the model's progress into the synced proposal, so dashboards watch it live. */
  private applyStreamPart(taskId: string, part: TextStreamPart<TriageTools>, run: RunProgress) {
    const proposal = this.proposal(taskId);
    if (!proposal) return;
    switch (part.type) {
      case "text-delta":
        run.text += part.text;
        break;
      case "text-end": {
        // The model states its plan on a line starting with "Plan:".
        const plan = run.text.match(/Plan:\s*(.+)/)?.[1];
        if (plan) this.patchProposal(taskId, { plan: plan.split(/\s*(?:→|->|,|;)\s*/).filter(Boolean) });
        run.text = "";
        break;
      }
      case "tool-call": {
        run.started.set(part.toolCallId, Date.now());
        this.patchProposal(taskId, {
          toolCalls: [...proposal.toolCalls, { id: part.toolCallId, tool: part.toolName, input: part.input as Json, status: "running" }],
        });
        break;
      }
      case "tool-result": {
        const durationMs = Date.now() - (run.started.get(part.toolCallId) ?? Date.now());
        this.patchProposal(taskId, {
          toolCalls: this.withCall(proposal.toolCalls, part.toolCallId, { status: part.toolName === "send_reply" ? "approved" : "done", output: part.output as Json, durationMs }),
          ...this.fieldsFromToolResult(part.toolName, part.output),
        });
        break;
      }
      case "tool-error": {
        this.patchProposal(taskId, {
          toolCalls: this.withCall(proposal.toolCalls, part.toolCallId, { status: "error", output: { error: String(part.error) } }),
        });
        break;
      }
      case "tool-approval-request": {
        this.patchProposal(taskId, {
          status: "awaiting_review",
          plan: ["Waiting for a person to approve, edit, reject or send back"],
          toolCalls: this.withCall(proposal.toolCalls, part.toolCall.toolCallId, { status: "awaiting_approval" }),
        });
        this.recordAction(taskId, "approval.requested", { round: proposal.round });
        break;
      }
      case "tool-output-denied": {
        this.patchProposal(taskId, { toolCalls: this.withCall(proposal.toolCalls, part.toolCallId, { status: "denied" }) });
        break;
      }
    }
  }

  private fieldsFromToolResult(toolName: string, output: unknown): Partial<Proposal> {
    switch (toolName) {
      case "lookup_entitlement":
        return { entitlement: output as Entitlement };
      case "summarize_context": {
        const c = output as ContextSummary;
        return { summary: c.summary, category: c.category, priority: c.priority };
      }
      case "file_handoff": {
        const h = output as { queue: string };
        return { handoff: { queue: h.queue, note: (output as { note?: string }).note ?? "" } };
      }
      case "draft_reply": {
        const d = output as { body: string; confidence: number };
        return { draft: d.body, confidence: d.confidence, risk: detectRisk(d.body) };
      }
      default:
        return {};
    }
  }

  // ── the tool host: what each tool does, logged and deduplicated ─────────

  private toolHost(taskId: string): TriageToolHost {
    const digest = this.digest(taskId);
    const accountId = this.name;
    return {
      ticketId: digest.ticket.ticket_id,
      readTicket: () => this.logged(taskId, "read_ticket", { ticket_id: digest.ticket.ticket_id }, async () => digest.ticket),
      lookupEntitlement: (email) =>
        this.logged(taskId, "lookup_entitlement", { email }, () =>
          this.once(`${taskId}:lookup_entitlement:${email}`, taskId, "lookup_entitlement", () => lookupEntitlement(this.env, accountId, email)),
        ),
      summarizeContext: () => this.logged(taskId, "summarize_context", { ticket_id: digest.ticket.ticket_id }, () => this.summarize(taskId)),
      fileHandoff: (queue, note) =>
        this.logged(taskId, "file_handoff", { queue, note }, () => this.fileHandoffOnce(taskId, queue, note, null)),
      saveDraft: (body, confidence) =>
        this.logged(taskId, "draft_reply", { body, confidence }, async () => {
          const round = this.proposal(taskId)?.round ?? 1;
          return { body, confidence, round, words: body.split(/\s+/).filter(Boolean).length };
        }),
      autoSendAllowed: (body) => this.autoSendAllowed(taskId, body),
      deliverApprovedReply: (body) =>
        this.logged(taskId, "send_reply", { body }, async () => {
          const decision = this.sql<{ action: string; body: string | null; actor: string; round: number }>`
            select action, body, actor, round from pending_decisions where task_id = ${taskId}`[0];
          if (!decision) {
            // No person approved: only the account's auto-send policy can let a reply through,
            // and it is checked again here rather than trusted from the model's side.
            if (!this.autoSendAllowed(taskId, body)) throw new Error("no human approval is recorded for this reply");
            const round = this.proposal(taskId)?.round ?? 1;
            this.patchProposal(taskId, { status: "sending" });
            await this.audit(taskId, `agent:${accountId}`, "decision.auto_approve", null, { body, automatic: true, round });
            await this.notifyWorkflow(taskId, round, { action: "approve", actor: `agent:${accountId}`, round, body, automatic: true });
            return { status: "handed_to_delivery" as const, round, edited: false };
          }
          const finalBody = decision.action === "edit" && decision.body ? decision.body : body;
          await this.notifyWorkflow(taskId, decision.round, {
            action: decision.action as "approve" | "edit",
            actor: decision.actor,
            round: decision.round,
            body: finalBody,
          });
          this.sql`delete from pending_decisions where task_id = ${taskId}`;
          return { status: "handed_to_delivery" as const, round: decision.round, edited: decision.action === "edit" };
        }),
    };
  }

  private async summarize(taskId: string): Promise<ContextSummary> {
    const { ticket } = this.digest(taskId);
    return summarizeTicket(this.env, this.name, {
      id: taskId,
      subject: ticket.subject,
      body: ticket.body,
      priority: ticket.priority,
      requesterEmail: ticket.requester.email,
    });
  }

  /** The model of a task's thread: the proposed reply's plan for an MCP proposal (until it is sent back), else the account's. */
  private modelFor(taskId: string, messages: ModelMessage[]) {
    const row = this.sql<{ proposal: string }>`select proposal from proposed_replies where task_id = ${taskId}`[0];
    if (row && !sentBack(messages)) return proposedReplyModel(JSON.parse(row.proposal) as ProposedReply);
    return triageModel(this.env);
  }

  /**
   * Records the idempotency key BEFORE the external call; a call that already
   * completed for this key returns its stored result instead of running again.
   */
  private async once<T>(key: string, taskId: string, tool: string, call: () => Promise<T>): Promise<T> {
    const row = this.sql<{ status: string; result: string | null }>`select status, result from idempotency_keys where key = ${key}`[0];
    if (row?.status === "done" && row.result) return JSON.parse(row.result) as T;
    if (!row) {
      this.sql`insert into idempotency_keys (key, task_id, tool, status, created_at) values (${key}, ${taskId}, ${tool}, 'started', ${now()})`;
    }
    const result = await call();
    this.sql`update idempotency_keys set status = 'done', result = ${JSON.stringify(result)} where key = ${key}`;
    return result;
  }

  /** Runs a tool and writes a tool-invocation row to D1 whatever happens. */
  private async logged<T>(taskId: string, tool: string, input: unknown, run: () => Promise<T>): Promise<T> {
    const start = Date.now();
    try {
      const output = await run();
      await this.logInvocation(taskId, tool, input, "ok", output, Date.now() - start);
      this.recordAction(taskId, `tool.${tool}`, { ok: true });
      return output;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.logInvocation(taskId, tool, input, "error", { error: message }, Date.now() - start);
      this.recordAction(taskId, `tool.${tool}`, { ok: false, error: message });
      throw err;
    }
  }

  private async logInvocation(taskId: string, tool: string, input: unknown, outcome: "ok" | "error" | "denied", output: unknown, durationMs: number) {
    await getDb(this.env)
      .insert(schema.toolInvocations)
      .values({ accountId: this.name, taskId, tool, input, outcome, output, durationMs, actor: `agent:${this.name}` });
  }

  /**
   * Files an internal handoff note once per task and queue (the idempotency key
   * is recorded before the help desk is called): the agent's file_handoff tool
   * and the MCP server's run this same path. `caller` is the person (and MCP
   * client) when it was not the agent.
   */
  private async fileHandoffOnce(taskId: string, queue: string, note: string, caller: CallerRef | null) {
    const accountId = this.name;
    return this.once(`${taskId}:file_handoff:${queue}`, taskId, "file_handoff", async () => {
      const handoffId = `h_${taskId.slice(2, 14)}_${queue}`;
      // Where the help desk has internal notes, the handoff becomes one there.
      let where = `handoffs/${handoffId}`;
      try {
        const filed = await fileInternalNote(this.env, taskId, `[Handoff to ${queue}] ${note}`);
        if (filed) where = filed.artifact;
      } catch (err) {
        this.recordAction(taskId, "handoff.note_failed", { error: err instanceof Error ? err.message : String(err) });
      }
      await getDb(this.env)
        .insert(schema.handoffs)
        .values({ id: handoffId, accountId, taskId, queue, note, artifact: where })
        .onConflictDoNothing();
      const actor = caller ? `${caller.actor} via mcp:${caller.client}` : `agent:${accountId}`;
      await this.audit(taskId, actor, "handoff.filed", null, { queue, note, ...(caller ? { client: caller.client } : {}) }, where);
      return { handoff_id: handoffId, queue, note, status: "filed" as const };
    });
  }

  /**
   * The MCP server's file_handoff (RPC from the Worker): same path as the
   * agent's own; an open proposal of the task shows the handoff at once.
   */
  async fileHandoffFor(taskId: string, queue: string, note: string, caller: CallerRef) {
    const filed = await this.fileHandoffOnce(taskId, queue, note, caller);
    if (this.proposal(taskId)) this.patchProposal(taskId, { handoff: { queue: filed.queue, note: filed.note } });
    this.recordAction(taskId, "tool.file_handoff", { ok: true, by: caller.actor, client: caller.client });
    return filed;
  }

  private async notifyWorkflow(taskId: string, round: number, event: DecisionEvent) {
    await this.once(`${taskId}:decision:${round}`, taskId, "workflow.sendEvent", async () => {
      const instance = await this.env.TRIAGE_WORKFLOW.get(taskId);
      await instance.sendEvent({ type: decisionEventType(round), payload: event });
      return { sent: true };
    });
  }

  private async audit(taskId: string, actor: string, action: string, before: unknown, after: unknown, artifact?: string) {
    await getDb(this.env)
      .insert(schema.auditEvents)
      .values({ accountId: this.name, taskId, actor, action, before, after, artifact: artifact ?? null });
  }

  private policyOf(taskId: string): TaskPolicy {
    const row = this.sql<{ policy: string }>`select policy from task_policies where task_id = ${taskId}`[0];
    return row ? (JSON.parse(row.policy) as TaskPolicy) : REVIEW_EVERYTHING;
  }

  /**
   * A reply may skip review only when the account turned auto-send on, the
   * tier does not always need a person, the text is exactly the saved draft,
   * its confidence is high enough and it has no risky clause.
   */
  private autoSendAllowed(taskId: string, body: string): boolean {
    const policy = this.policyOf(taskId);
    const proposal = this.proposal(taskId);
    if (!policy.autoSend.enabled || policy.alwaysReview || !proposal) return false;
    if (proposal.round > 1 || proposal.revisions.length) return false;
    if (proposal.draft !== body || (proposal.confidence ?? 0) < policy.autoSend.minConfidence) return false;
    return detectRisk(body).length === 0;
  }

  // ── small helpers over SQLite and state ──────────────────────────────────

  private proposal(taskId: string): Proposal | undefined {
    return this.state.proposals.find((p) => p.taskId === taskId);
  }

  private upsertProposal(p: Proposal) {
    this.setState({ proposals: [...this.state.proposals.filter((x) => x.taskId !== p.taskId), p] });
  }

  private patchProposal(taskId: string, patch: Partial<Proposal>) {
    this.setState({
      proposals: this.state.proposals.map((p) => (p.taskId === taskId ? { ...p, ...patch, updatedAt: now() } : p)),
    });
  }

  private withCall(calls: ToolCallRecord[], id: string, patch: Partial<ToolCallRecord>): ToolCallRecord[] {
    return calls.map((c) => (c.id === id ? { ...c, ...patch } : c));
  }

  private digest(taskId: string) {
    const row = this.sql<{ ticket: string; entitlement: string | null; account_name: string }>`
      select ticket, entitlement, account_name from task_digests where task_id = ${taskId}`[0];
    if (!row) throw new Error(`no digest for task ${taskId}`);
    return {
      ticket: JSON.parse(row.ticket) as TicketView,
      entitlement: row.entitlement ? (JSON.parse(row.entitlement) as Entitlement) : null,
      accountName: row.account_name,
    };
  }

  private thread(taskId: string) {
    return this.sql<{ status: string; outcome: string | null }>`select status, outcome from task_threads where task_id = ${taskId}`[0];
  }

  private threadMessages(taskId: string): ModelMessage[] {
    const row = this.sql<{ messages: string }>`select messages from task_threads where task_id = ${taskId}`[0];
    return row ? (JSON.parse(row.messages) as ModelMessage[]) : [];
  }

  private saveThread(taskId: string, messages: ModelMessage[]) {
    this.sql`insert into task_threads (task_id, messages, status, updated_at) values (${taskId}, ${JSON.stringify(messages)}, 'open', ${now()})
      on conflict(task_id) do update set messages = excluded.messages, updated_at = excluded.updated_at`;
  }

  /** The unanswered approval request at the end of the thread, if any. */
  private pendingApproval(taskId: string): { approvalId: string; toolCallId: string } | null {
    const messages = this.threadMessages(taskId);
    const answered = new Set<string>();
    for (const m of messages) {
      if (m.role === "tool") for (const c of m.content) if (c.type === "tool-approval-response") answered.add(c.approvalId);
    }
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.role !== "assistant" || typeof m.content === "string") continue;
      for (const c of m.content) {
        if (c.type === "tool-approval-request" && !answered.has(c.approvalId)) return { approvalId: c.approvalId, toolCallId: c.toolCallId };
      }
    }
    return null;
  }

  private recordAction(taskId: string | null, action: string, detail: unknown) {
    this.sql`insert into agent_actions (task_id, action, detail, at) values (${taskId}, ${action}, ${JSON.stringify(detail)}, ${now()})`;
    this.sql`delete from agent_actions where id <= (select max(id) from agent_actions) - ${MAX_ACTIONS}`;
  }
}

export function decisionEventType(round: number): string {
  return `decision-${round}`;
}

function now() {
  return new Date().toISOString();
}
