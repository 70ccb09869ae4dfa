// The risk of a proposal as the agent judges it: the wording rules of
// policy/risk.ts on the ticket and the draft, plus the hard stops (anger, a
// legal threat, a request for a human) the classifier reads in the ticket
// where no rule matched: rules catch the exact phrases, the classifier the
// other words and languages. Any flag means a person must decide.
import { proposalRisk, type RiskFlag } from "../policy/risk";
import { readHardStops } from "./models/classifier/read-ticket";

/** The hard stops in a ticket: each rule match, and each classifier reading the rules missed. */
export function ticketHardStops(ticket: { subject: string; body: string }): RiskFlag[] {
  const ruled = proposalRisk(ticket, null).filter((f) => HARD_STOP_KINDS.has(f.kind));
  return [...ruled, ...classifiedMissing(ticket, ruled)];
}

/** Every risk flag of a proposal: ticket and draft by the rules, ticket hard stops by the classifier. */
export function assessRisk(ticket: { subject: string; body: string }, draft: string | null): RiskFlag[] {
  const flags = proposalRisk(ticket, draft);
  return [...flags, ...classifiedMissing(ticket, flags)];
}

const HARD_STOP_KINDS = new Set<RiskFlag["kind"]>(["anger", "legal_threat", "human_request", "prompt_injection"]);

function classifiedMissing(ticket: { subject: string; body: string }, found: RiskFlag[]): RiskFlag[] {
  return readHardStops(ticket.subject, ticket.body)
    .filter((s) => !found.some((f) => f.kind === s.kind && f.source === "ticket"))
    .map((s) => ({ kind: s.kind, match: s.sentence, source: "ticket" as const, confidence: s.confidence }));
}
