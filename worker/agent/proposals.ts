// Reading the review queue: a page of it from the account agent's index, and
// one proposal: its queue row from the account agent and the rest
// (ticket, tool calls, draft) from the ticket's drafter, loaded on demand.
import type { Proposal, ProposalPage, QueueFilter } from "../domain/types";
import { accountAgent, ticketDrafter } from "./stubs";

/** The open proposal of `taskId` in `accountId`, or null when there is none (never was, or closed). */
export async function openProposal(env: Env, accountId: string, taskId: string): Promise<Proposal | null> {
  if (!/^t_[0-9a-f]{32}$/.test(taskId)) return null;
  const summary = await (await accountAgent(env, accountId)).proposalSummary(taskId);
  if (!summary) return null;
  const detail = await ticketDrafter(env, taskId).detail();
  if (!detail || detail.accountId !== accountId) {
    // The row is open but drafting has not started yet.
    return {
      taskId,
      ticketId: summary.ticketId,
      subject: summary.subject,
      body: "",
      requester: summary.requester,
      receivedAt: summary.receivedAt,
      round: summary.round,
      status: summary.status,
      summary: null,
      category: summary.category,
      priority: summary.priority,
      confidence: summary.confidence,
      triage: null,
      entitlement: null,
      toolCalls: [],
      plan: [],
      draft: null,
      handoff: null,
      revisions: [],
      dueAt: summary.dueAt,
      risk: [],
      origin: null,
      updatedAt: summary.updatedAt,
    };
  }
  const { accountId: _accountId, phase: _phase, ...rest } = detail;
  return { ...rest, status: summary.status, round: summary.round };
}

/** One page of the account's open proposals, most urgent first; `cursor` is the previous page's nextCursor. */
export async function queuePage(env: Env, accountId: string, filter: QueueFilter, limit: number, cursor: string | null = null): Promise<ProposalPage> {
  return (await accountAgent(env, accountId)).queuePage(filter, limit, cursor);
}
