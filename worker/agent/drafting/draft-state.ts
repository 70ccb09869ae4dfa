// What one ticket's drafter knows: the request the Workflow handed over (the
// ticket, its entitlement and the account's policy for it), where the draft
// stands, and which decisions it has applied. Single rows, bounded by one
// ticket (a ticket body is at most 256 KiB).
import type { DecisionEvent } from "../../domain/decision-events";
import type { Citation } from "../../domain/knowledge";
import type { Entitlement, Priority, ProposedReply, RevisionNote, TicketView, TriageSignals } from "../../domain/types";
import type { AccountRouting } from "../context";
import { nowIso, type Sql } from "../sql";

/** The parts of the account's policy that apply to one task. */
interface TaskPolicy {
  /** File a handoff to this queue for every ticket of the tier. */
  handoffQueue: string | null;
  /** Never auto-send for this tier. */
  alwaysReview: boolean;
  autoSend: { enabled: boolean; minConfidence: number };
  disabledTools: string[];
  /** The account's own categories and handoff queues (absent in requests saved before they existed). */
  routing?: AccountRouting;
}

/** What the Workflow hands over to start drafting one ticket. */
export interface DraftRequest {
  accountId: string;
  taskId: string;
  accountName: string;
  ticket: TicketView;
  entitlement: Entitlement;
  policy: TaskPolicy;
  dueAt: string | null;
  /** Set when an MCP client proposed the reply (worker/mcp/propose.ts): the drafter drafts exactly this text. */
  proposed?: (ProposedReply & { inReplyTo: string }) | null;
}

/** A search_knowledge hit the drafter remembers, so a draft can cite it. */
export type KnownSource = Citation & { score: number; language: string };

export type DraftPhase =
  | "drafting" // the model is working on this round
  | "awaiting_review" // a proposal waits for a person
  | "no_proposal" // the model stopped without proposing: a person has to write the reply
  | "handed_to_delivery" // approved (or auto-sent): the Workflow delivers it
  | "stopped" // rejected: nothing goes out
  | "closed";

export interface DraftState {
  round: number;
  /** Runs of the current round so far (a retried step runs it again). */
  attempt: number;
  phase: DraftPhase;
  summary: string | null;
  category: string | null;
  priority: Priority;
  confidence: number | null;
  /** Absent in records written before triage signals existed. */
  triage?: TriageSignals | null;
  entitlement: Entitlement | null;
  draft: string | null;
  /** The articles the draft answers from (at most 3); absent in records written before knowledge existed. */
  citations?: Citation[];
  /** What search_knowledge found on this ticket so far (at most 10), the articles a draft may cite. */
  knowledge?: KnownSource[];
  /** Phase no_proposal: the reply a person starts from (the best article's answer, or the holding reply). */
  suggested?: { body: string; citations: Citation[] } | null;
  handoff: { queue: string; note: string } | null;
  plan: string[];
  risk: { kind: string; match: string }[];
  revisions: RevisionNote[];
  /** What goes out, once a person approved (or the auto-send policy let it through). */
  delivery: { body: string; edited: boolean; automatic: boolean } | null;
  outcome: string | null;
  updatedAt: string;
}

export function createDraftStateTables(sql: Sql) {
  sql`create table if not exists drafting_session (key text primary key, value text not null)`;
  sql`create table if not exists applied_decisions (round integer primary key, decision text not null, applied_at text not null)`;
}

/**
 * The drafter's request and state, written through to SQLite and kept in
 * memory (a Durable Object runs one request at a time, so the copy is exact):
 * the model loop reads them at every streamed part.
 */
export class DraftStore {
  private cachedRequest: DraftRequest | null | undefined;
  private cachedState: DraftState | null | undefined;

  constructor(private readonly sql: Sql) {}

  request(): DraftRequest | null {
    if (this.cachedRequest === undefined) this.cachedRequest = this.read<DraftRequest>("request");
    return this.cachedRequest;
  }

  saveRequest(request: DraftRequest) {
    this.write("request", request);
    this.cachedRequest = request;
  }

  state(): DraftState | null {
    if (this.cachedState === undefined) this.cachedState = this.read<DraftState>("state");
    return this.cachedState;
  }

  /** The state, which must exist (the request was saved). */
  current(): DraftState {
    const s = this.state();
    if (!s) throw new Error("this drafter has no ticket yet");
    return s;
  }

  saveState(state: DraftState) {
    const next = { ...state, updatedAt: nowIso() };
    this.write("state", next);
    this.cachedState = next;
  }

  /** After the storage was wiped (a closed ticket's record expired). */
  forget() {
    this.cachedRequest = undefined;
    this.cachedState = undefined;
  }

  patch(patch: Partial<DraftState>): DraftState {
    this.saveState({ ...this.current(), ...patch });
    return this.current();
  }

  /** The decision applied for `round`, if any. */
  decision(round: number): DecisionEvent | null {
    const row = this.sql<{ decision: string }>`select decision from applied_decisions where round = ${round}`[0];
    return row ? (JSON.parse(row.decision) as DecisionEvent) : null;
  }

  recordDecision(d: DecisionEvent) {
    this.sql`insert or ignore into applied_decisions (round, decision, applied_at) values (${d.round}, ${JSON.stringify(d)}, ${nowIso()})`;
  }

  private read<T>(key: string): T | null {
    const row = this.sql<{ value: string }>`select value from drafting_session where key = ${key}`[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private write(key: string, value: unknown) {
    this.sql`insert into drafting_session (key, value) values (${key}, ${JSON.stringify(value)})
      on conflict(key) do update set value = excluded.value`;
  }
}
