// How the account agent drafts a task whose reply an MCP client proposed
// (propose_reply, worker/mcp/propose.ts). It runs the same tools on the same
// thread as any triage (read the ticket, look up the entitlement, summarize),
// so the reviewer sees the same context, then drafts exactly the proposed text
// and asks to send it, which always waits for a person. If the reviewer sends
// it back, the thread continues with the account's own model, which redrafts
// from their note like any other proposal.
import type { ModelMessage } from "ai";
import type { ProposedReply } from "../../domain/types";
import { lastOf, OfflineTriageModel, REVISE_PREFIX, type Step, type StepFunction, taskHeader, toolOutcomes } from "./offline-model";

function proposedReplyPlan(proposed: ProposedReply): StepFunction {
  return (prompt, available): Step => {
    const header = taskHeader(prompt);
    const outcomes = toolOutcomes(prompt);
    const offered = (name: string) => !available || available.includes(name);
    const has = (name: string) => !offered(name) || outcomes.some((o) => o.toolName === name);
    const ticketId = header.ticket_id;
    if (!ticketId) return { kind: "text", text: "There is no ticket on this thread." };

    if (!has("read_ticket")) {
      return {
        kind: "tool",
        toolName: "read_ticket",
        input: { ticket_id: ticketId },
        say: `Plan: read_ticket → lookup_entitlement → summarize_context → draft_reply (the reply ${proposed.clientName} proposed for ${proposed.proposedBy}) → send_reply (waits for human approval)`,
      };
    }
    const ticket = lastOf(outcomes, "read_ticket")?.output as { requester?: { email?: string } } | null | undefined;
    if (!has("lookup_entitlement") && ticket?.requester?.email) {
      return { kind: "tool", toolName: "lookup_entitlement", input: { email: ticket.requester.email } };
    }
    if (!has("summarize_context")) return { kind: "tool", toolName: "summarize_context", input: { ticket_id: ticketId } };
    if (!has("draft_reply")) {
      return { kind: "tool", toolName: "draft_reply", input: { body: proposed.body, confidence: proposed.confidence } };
    }
    if (!offered("send_reply")) return { kind: "text", text: "Sending is switched off for this account: a person has to take it from here." };
    const send = lastOf(outcomes, "send_reply");
    if (!send) return { kind: "tool", toolName: "send_reply", input: { body: proposed.body } };
    if (send.denied !== undefined) return { kind: "text", text: "Understood: the proposal was rejected, so nothing was sent. The ticket stays with the team." };
    return { kind: "text", text: "The approved reply has been handed to delivery." };
  };
}

export function proposedReplyModel(proposed: ProposedReply) {
  return new OfflineTriageModel(proposedReplyPlan(proposed), "proposed-reply");
}

/** After a reviewer sent the proposal back, the account's own model takes over the thread. */
export function sentBack(messages: ModelMessage[]): boolean {
  return messages.some(
    (m) => m.role === "tool" && m.content.some((c) => c.type === "tool-approval-response" && !c.approved && !!c.reason?.startsWith(REVISE_PREFIX)),
  );
}
