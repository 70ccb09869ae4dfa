// The account agent: one Durable Object per support account (an AIChatAgent),
// the coordinator of that account's work. It keeps the review queue (one
// small row per open proposal), tells every open dashboard what changed, holds
// the one decision gate, counts the account's rate limits and in-flight slots,
// keeps each person's delegated help-desk tokens, and re-imports the account's
// knowledge from its help desks on a schedule. It does not draft:
// each ticket drafts on its own TicketDrafter, driven by the ticket's Workflow.
//
// Read top to bottom: lifecycle and dashboards, the queue, decisions,
// admission, delegated tokens, housekeeping.
import { AIChatAgent } from "@cloudflare/ai-chat";
import { type Connection, type ConnectionContext, callable, getCurrentAgent, type WSMessage } from "agents";
import { convertToModelMessages, streamText } from "ai";
import { and, eq, inArray, lt } from "drizzle-orm";
import { deleteExpiredSamples } from "../audit/samples";
import { deleteOldToolLog } from "../audit/tool-log";
import { resolveEntitlement } from "../billing/entitlements";
import { BillingSourceError } from "../billing/source-common";
import { getDb, schema } from "../db/client";
import { parseDecision } from "../domain/decisions";
import {
  type AccountAgentState,
  type DecisionInput,
  type DelegatedAccess,
  IN_FLIGHT_STATUSES,
  type ProposalPage,
  type ProposalStatus,
  type ProposalSummary,
  type QueueChanges,
  type QueueEvent,
  type QueueFilter,
  ROLE_RANK,
} from "../domain/types";
import { type ConnectionIdentity, currentConnectionRole } from "../identity/connection-identity";
import { backfillSemantic, reindexTopics } from "../knowledge/store";
import { type SyncResult, syncAll } from "../knowledge/sync";
import { startTriage } from "../triage/client";
import { type DecideOutcome, type Decider, decide } from "./decision-gate";
import { triageModel } from "./models/model";
import type { Sql, SqlValue } from "./sql";
import { ActionLog, type AgentAction, createActionLogTable } from "./stores/action-log";
import { createDelegationTable, type DelegatedConnection, type DelegatedTokenInput, DelegatedTokenStore, type RotationResult } from "./stores/delegated-tokens";
import { createEntitlementCacheTables, EntitlementCache } from "./stores/entitlement-cache";
import { createInFlightTable, InFlightSlots } from "./stores/in-flight";
import { createProposalIndexTables, ProposalIndex } from "./stores/proposal-index";
import { createRateWindowTable, type RateVerdict, RateWindows } from "./stores/rate-windows";
import type { Admission, EntitlementAnswer, NewProposal, QueueFields } from "./stubs";

export const IDENTITY_HEADER = "x-support-triage-identity";

/** How often the account's knowledge is re-imported from its help desks (docs/knowledge.md). */
const KNOWLEDGE_SYNC_SECONDS = 6 * 60 * 60;

/** How often the account's expired samples for review are deleted (docs/samples.md). */
const SAMPLE_PURGE_SECONDS = 24 * 60 * 60;
/** Hourly: a busy account logs about 150,000 tool calls a day, more than one daily run should delete. */
const TOOL_LOG_PURGE_SECONDS = 60 * 60;

export class AccountAgent extends AIChatAgent<Env, AccountAgentState> {
  initialState: AccountAgentState = {};

  /** The stores share the agent's SQLite; each owns its tables. */
  private readonly sqlTag = (<T>(s: TemplateStringsArray, ...v: SqlValue[]) => this.sql<T>(s, ...v)) as Sql;
  private readonly proposals = new ProposalIndex(this.sqlTag);
  private readonly rateWindows = new RateWindows(this.sqlTag);
  private readonly slots = new InFlightSlots(this.sqlTag);
  private readonly actionLog = new ActionLog(this.sqlTag);
  private readonly entitlements = new EntitlementCache(this.sqlTag);
  /** Bumped by every invalidation, so a lookup that was under way meanwhile does not cache what it read before it. */
  private entitlementGeneration = 0;
  private delegationStore: DelegatedTokenStore | null = null;

  // ── lifecycle and dashboards ─────────────────────────────────────────────

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Dashboards talk to the agent in two ways only: its callables (queue
    // catch-up, decisions) and the state protocol (which refuses writes).
    // The SDK's chat protocol (sending, replacing or clearing the account's
    // chat history) is not offered to browsers: one member could otherwise
    // write assistant turns every other member reads.
    const handle = this.onMessage.bind(this);
    this.onMessage = (connection: Connection, message: WSMessage) => {
      const type = typeof message === "string" ? protocolType(message) : null;
      if (type !== "rpc" && type !== "cf_agent_state") {
        connection.send(JSON.stringify({ type: "error", error: `message type ${JSON.stringify(type)} is not accepted on this socket` }));
        return;
      }
      return handle(connection, message);
    };
  }

  async onStart() {
    const sql = this.sqlTag;
    createProposalIndexTables(sql);
    createRateWindowTable(sql);
    createInFlightTable(sql);
    createActionLogTable(sql);
    createDelegationTable(sql);
    createEntitlementCacheTables(sql);
    await this.scheduleEvery(3600, "housekeeping");
    await this.scheduleEvery(60, "startStalledTasks");
    // Idempotent like the two above: one schedule per callback and interval, however often the agent wakes.
    await this.scheduleEvery(KNOWLEDGE_SYNC_SECONDS, "syncKnowledge");
    await this.scheduleEvery(SAMPLE_PURGE_SECONDS, "purgeExpiredSamples");
    await this.scheduleEvery(TOOL_LOG_PURGE_SECONDS, "purgeOldToolLog");
  }

  /** Dashboards read; only the agent writes its state. */
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
    const hello: QueueEvent = { type: "queue.hello", version: this.proposals.version, counts: this.proposals.currentCounts() };
    connection.send(JSON.stringify(hello));
  }

  /** Free-form chat with the account's agent (the dashboard's assistant panel): it sees the queue's size and its most urgent rows, never all of it. */
  async onChatMessage() {
    const page = this.proposals.page({}, 10, null);
    const open = page.proposals.map((p) => `- ${p.taskId}: "${p.subject}" (${p.status}, ${p.priority}, round ${p.round})`).join("\n");
    const result = streamText({
      model: triageModel(this.env),
      system: `You help the support team of account ${this.name}. ${page.counts.open} proposals are open (${page.counts.awaiting_review} awaiting review). The most urgent:\n${open || "(none)"}\nYou cannot send anything from chat; replies go through the review queue.`,
      messages: await convertToModelMessages(this.messages),
    });
    return result.toUIMessageStreamResponse();
  }

  // ── the queue ────────────────────────────────────────────────────────────

  /** The Workflow opens a ticket's row when drafting starts. */
  async openProposal(row: NewProposal): Promise<ProposalSummary | null> {
    const opened = this.proposals.upsert({ ...row, status: "drafting", round: 1 });
    if (opened) {
      this.actionLog.record(row.taskId, "triage.started", { ticketId: row.ticketId });
      this.announce(row.taskId);
    }
    return opened;
  }

  /** A drafter reports what a round learned (tier, category, confidence, risk…). */
  async updateProposal(taskId: string, fields: QueueFields) {
    if (this.proposals.patch(taskId, fields)) this.announce(taskId);
  }

  /**
   * The Workflow moves a row: drafting (a new round), awaiting review (a
   * proposal is ready) or sending. With `releaseSlot` (round 1 is drafted) the
   * task's drafting slot frees in the same call; `waiting` then says whether
   * tickets may be waiting for it.
   */
  async setProposalStatus(taskId: string, status: ProposalStatus, round: number, fields: QueueFields = {}, releaseSlot = false): Promise<{ waiting: boolean }> {
    const freed = releaseSlot ? this.slots.release(taskId) : { waiting: false };
    const row = this.proposals.get(taskId);
    if (!row) return freed;
    // A decision already moved it on (e.g. approved while the Workflow confirmed round 1).
    if (row.round > round) return freed;
    if (status === "awaiting_review" && row.round === round && (row.rowStatus === "deciding" || row.status !== "drafting")) return freed;
    if (this.proposals.patch(taskId, { ...fields, status, round })) {
      if (status === "awaiting_review") this.actionLog.record(taskId, "approval.requested", { round });
      this.announce(taskId);
    }
    return freed;
  }

  /** The Workflow ended the task (sent, rejected, expired, failed). */
  async closeProposal(taskId: string, outcome: string) {
    this.proposals.markClosed(taskId, outcome);
    this.slots.release(taskId);
    this.actionLog.record(taskId, "task.closed", { outcome });
    this.announceRemoval(taskId, outcome);
  }

  async queuePage(filter: QueueFilter, limit: number, cursor: string | null): Promise<ProposalPage> {
    return this.proposals.page(filter, limit, cursor);
  }

  async proposalSummary(taskId: string): Promise<ProposalSummary | null> {
    return this.summaryOf(taskId);
  }

  /** A row as dashboards see it: one being decided on still shows as awaiting review. */
  private summaryOf(taskId: string): ProposalSummary | null {
    const row = this.proposals.get(taskId);
    if (!row) return null;
    const { rowStatus, ...summary } = row;
    return rowStatus === "deciding" ? { ...summary, status: "awaiting_review" } : summary;
  }

  /** How a task left the queue (kept a day), for "already closed" answers. */
  async closedOutcome(taskId: string): Promise<string | null> {
    return this.proposals.closed(taskId)?.outcome ?? null;
  }

  /** A dashboard that reconnects asks what it missed since its last version. */
  @callable()
  async queueChanges(since: unknown): Promise<QueueChanges | { error: string; status: number }> {
    if (!(await this.connectionRole())) return { error: "your session has ended: sign in again", status: 401 };
    if (typeof since !== "number" || !Number.isInteger(since) || since < 0) return { error: "since must be a version number", status: 400 };
    return this.proposals.changesSince(since);
  }

  private announce(taskId: string) {
    const proposal = this.summaryOf(taskId);
    if (!proposal) return;
    const event: QueueEvent = { type: "queue.upsert", version: this.proposals.version, counts: this.proposals.currentCounts(), proposal };
    this.broadcast(JSON.stringify(event));
  }

  private announceRemoval(taskId: string, outcome: string) {
    const event: QueueEvent = { type: "queue.remove", version: this.proposals.version, counts: this.proposals.currentCounts(), taskId, outcome };
    this.broadcast(JSON.stringify(event));
  }

  // ── decisions: one gate for REST, WebSocket and MCP ─────────────────────

  /** A dashboard's WebSocket asks to decide; the connection's identity decides who. */
  @callable()
  async decideAsConnection(taskId: string, raw: unknown): Promise<DecideOutcome> {
    const identity = this.connectionIdentity();
    if (!identity) return { error: "not signed in", status: 401 };
    // The connection may be hours old: the session and the membership must still hold now.
    const role = await this.connectionRole();
    if (!role) return { error: "your session has ended or you are no longer a member of this account: sign in again", status: 401 };
    if (ROLE_RANK[role] < ROLE_RANK.agent) return { error: "this needs the agent role", status: 403 };
    let input: DecisionInput;
    try {
      input = parseDecision(raw);
    } catch (err) {
      return { error: err instanceof Error ? err.message : "invalid decision", status: 400 };
    }
    return this.decide(taskId, input, { userId: identity.userId ?? identity.email, email: identity.email });
  }

  /** RPC from the Worker (REST, the dashboard's actions), after it checked who is asking. */
  async decide(taskId: string, input: DecisionInput, by: Decider): Promise<DecideOutcome> {
    return decide(
      {
        env: this.env,
        accountId: this.name,
        index: this.proposals,
        rates: this.rateWindows,
        actions: this.actionLog,
        announce: (id) => (this.proposals.get(id) ? this.announce(id) : this.announceRemoval(id, this.proposals.closed(id)?.outcome ?? "closed")),
      },
      taskId,
      input,
      by,
    );
  }

  private connectionIdentity(): ConnectionIdentity | null {
    return (getCurrentAgent().connection?.state as { identity?: ConnectionIdentity } | null)?.identity ?? null;
  }

  private async connectionRole() {
    const identity = this.connectionIdentity();
    return identity ? currentConnectionRole(this.env, identity, this.name) : null;
  }

  // ── admission: rate limits and in-flight slots (exact: one request at a time) ──

  /** Intake's one call for a new ticket: counts it against the account's rate and, if asked, takes a slot. */
  async admitTicket(taskId: string, ticketsPerMinute: number, maxInFlight: number | null): Promise<Admission> {
    const rate = this.rateWindows.consume("tickets", ticketsPerMinute);
    if (!rate.ok) return { rate, slot: false };
    return { rate, slot: maxInFlight === null ? false : this.slots.admit(taskId, maxInFlight) };
  }

  async admitTask(taskId: string, maxInFlight: number): Promise<boolean> {
    return this.slots.admit(taskId, maxInFlight);
  }

  /** Waiting (queued or held) tickets that get a drafting slot now; each is handed out once. */
  async admitWaiting(candidates: string[], maxInFlight: number): Promise<string[]> {
    return this.slots.admitNew(candidates, maxInFlight);
  }

  async releaseTask(taskId: string): Promise<{ waiting: boolean }> {
    return this.slots.release(taskId);
  }

  async noneWaiting(): Promise<void> {
    this.slots.noneWaiting();
  }

  async consumeRate(bucket: string, perMinute: number): Promise<RateVerdict> {
    return this.rateWindows.consume(bucket, perMinute);
  }

  /** The last actions this agent took (newest first), at most 50. */
  async recentActions(): Promise<AgentAction[]> {
    return this.actionLog.recent();
  }

  // ── entitlements: cached five minutes, dropped when the billing source says they changed ──

  /**
   * The requester's entitlement from the account's billing source. Answers
   * from Stripe or the generic lookup URL are cached five minutes
   * (stores/entitlement-cache.ts); the built-in tables are read each time
   * (one indexed D1 read, and an edit of them has no event to invalidate on).
   * A failure comes back as data: an Error's class does not survive RPC.
   */
  async entitlementFor(email: string, nowMs: number = Date.now()): Promise<EntitlementAnswer> {
    const cached = this.entitlements.get(email, nowMs);
    if (cached) return { ok: true, entitlement: cached, cache: "hit" };
    const generation = this.entitlementGeneration;
    try {
      const { entitlement, stripeCustomers } = await resolveEntitlement(this.env, this.name, email);
      if (entitlement.source === "builtin") return { ok: true, entitlement, cache: "off" };
      if (generation === this.entitlementGeneration) this.entitlements.put(email, entitlement, stripeCustomers, nowMs);
      return { ok: true, entitlement, cache: "miss" };
    } catch (err) {
      if (err instanceof BillingSourceError) return { ok: false, error: err.message, retryable: err.retryable };
      throw err;
    }
  }

  /** Drops cached entitlements: a Stripe customer's (its webhook), one email's, or all (billing settings changed). Returns how many. */
  async forgetEntitlements(what: { stripeCustomer?: string; email?: string; all?: boolean }): Promise<number> {
    this.entitlementGeneration++;
    if (what.all) return this.entitlements.forgetAll();
    let dropped = 0;
    if (what.stripeCustomer) dropped += this.entitlements.forgetStripeCustomer(what.stripeCustomer);
    if (what.email) dropped += this.entitlements.forgetEmail(what.email);
    return dropped;
  }

  // ── delegated tokens (per person; RPC from the Worker only, never @callable) ──

  private get delegations(): DelegatedTokenStore {
    this.delegationStore ??= new DelegatedTokenStore(this.sqlTag, this.env, this.name);
    return this.delegationStore;
  }

  /** After a person's code exchange: seals and stores their tokens. Returns the connection without tokens. */
  async storeDelegatedToken(person: string, provider: string, tokens: DelegatedTokenInput): Promise<DelegatedConnection> {
    const connection = await this.delegations.store(person, provider, tokens);
    this.actionLog.record(null, "delegation.connected", { person, provider, scopesGranted: connection.scopesGranted });
    return connection;
  }

  /** One person's connections, or everyone's ("*"): scopes and times, never tokens. */
  async listDelegatedConnections(person: string): Promise<DelegatedConnection[]> {
    return this.delegations.list(person);
  }

  /** Revokes (at the provider, best effort) and deletes connections; the caller audits with the actor. */
  async revokeDelegated(person: string, provider: string, actor: string): Promise<DelegatedConnection[]> {
    const revoked = await this.delegations.revoke(person, provider);
    this.actionLog.record(null, "delegation.revoked", { person, provider, actor, count: revoked.length });
    return revoked;
  }

  /** Forces a refresh now (new access and refresh token); the caller audits with the actor. */
  async rotateDelegated(person: string, provider: string, actor: string): Promise<RotationResult> {
    const result = await this.delegations.rotate(person, provider);
    this.actionLog.record(null, "delegation.rotated", { person, provider, actor, rotated: result.rotated.length, failed: result.failed.length });
    return result;
  }

  /**
   * For the delivery path only (server-side): the person's access token if
   * their grant covers `requiredScopes`, refreshed when it expires within 5
   * minutes. Never reaches a browser.
   */
  async delegatedAccessToken(person: string, provider: string, requiredScopes: string[]): Promise<DelegatedAccess> {
    return this.delegations.accessToken(person, provider, requiredScopes);
  }

  // ── sweeps ───────────────────────────────────────────────────────────────

  /**
   * Every minute: starts the Workflow of tickets that were stored but whose
   * start did not happen (intake starts it after answering; a failure there
   * leaves the task `received`). Starting an existing instance is harmless.
   */
  async startStalledTasks(olderThanMs: number = 30_000): Promise<number> {
    const before = new Date(Date.now() - olderThanMs).toISOString();
    const stalled = await getDb(this.env)
      .select({ id: schema.tasks.id })
      .from(schema.tasks)
      .where(and(eq(schema.tasks.accountId, this.name), eq(schema.tasks.status, "received"), lt(schema.tasks.createdAt, before)))
      .limit(100);
    let started = 0;
    for (const { id } of stalled) {
      try {
        await startTriage(this.env, { accountId: this.name, taskId: id });
        started++;
      } catch (err) {
        console.error("sweep could not start triage", id, err instanceof Error ? err.message : String(err));
      }
    }
    if (started) this.actionLog.record(null, "sweep.started", { count: started });
    return started;
  }

  /** Daily: deletes the account's samples for review past their expiry (in bounded batches; a backlog goes over the next days). */
  async purgeExpiredSamples(): Promise<number> {
    const deleted = await deleteExpiredSamples(this.env, this.name);
    if (deleted) this.actionLog.record(null, "samples.expired", { deleted });
    return deleted;
  }

  /** Hourly: deletes the account's tool log and latency rollup older than TOOL_LOG_KEEP_DAYS (bounded batches). */
  async purgeOldToolLog(): Promise<{ calls: number; rollup: number }> {
    const deleted = await deleteOldToolLog(this.env, this.name);
    if (deleted.calls || deleted.rollup) this.actionLog.record(null, "tool_log.expired", deleted);
    return deleted;
  }

  /**
   * Every six hours: re-imports the account's knowledge from each help desk
   * connected with outbound credentials (worker/knowledge/sync.ts: the full
   * listing, only changed articles rewritten, deleted ones removed, each
   * source's result recorded for the Knowledge page). Sources without
   * credentials are skipped; an admin's "Sync now" runs the same sync.
   */
  async syncKnowledge(): Promise<SyncResult[]> {
    const results = await syncAll(this.env, this.name);
    // Index what an older version of the topics left behind, and where semantic search is on,
    // embed what is not yet (articles from before it, failed embeddings).
    await reindexTopics(this.env, this.name);
    await backfillSemantic(this.env, this.name);
    const synced = results.filter((r) => r.status !== "not_connected");
    if (synced.length)
      this.actionLog.record(
        null,
        "knowledge.synced",
        synced.map(({ source, status, counts, error }) => ({ source, status, counts, error })),
      );
    return results;
  }

  /**
   * Forgets old tombstones, and gives back slots whose task is no longer in
   * flight in D1 (a delivery that stored nothing after taking a slot).
   */
  async housekeeping() {
    this.proposals.pruneTombstones();
    this.entitlements.prune(Date.now());
    const stale = this.slots.heldSince(new Date(Date.now() - 60 * 60 * 1000).toISOString(), 500);
    // D1 binds at most 100 parameters per query.
    for (let i = 0; i < stale.length; i += 90) {
      const chunk = stale.slice(i, i + 90);
      const live = await getDb(this.env)
        .select({ id: schema.tasks.id })
        .from(schema.tasks)
        .where(and(eq(schema.tasks.accountId, this.name), inArray(schema.tasks.id, chunk), inArray(schema.tasks.status, IN_FLIGHT_STATUSES)));
      const alive = new Set(live.map((r) => r.id));
      for (const id of chunk) if (!alive.has(id)) this.slots.release(id);
    }
  }
}

/** The `type` of a JSON protocol message, or null when it is not one. */
function protocolType(message: string): string | null {
  try {
    const parsed = JSON.parse(message) as { type?: unknown };
    return typeof parsed.type === "string" ? parsed.type : null;
  } catch {
    return null;
  }
}
