import { PLAN_TIERS, PRIORITIES } from "../../worker/domain/enums";
import type { PlanTier, Priority, Proposal } from "../../worker/domain/types";
import { slaLeft, utcStamp } from "../lib/format";

// `badge` and its variants are component classes in app.css (rows repeat them 50 times a page).

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`badge badge-${PRIORITIES.includes(priority) ? priority : "normal"}`} data-testid="priority-badge">
      <span className="sr-only">Priority: </span>
      {priority}
    </span>
  );
}

export function TierBadge({ tier }: { tier: PlanTier | null | undefined }) {
  const t = tier && PLAN_TIERS.includes(tier) ? tier : "unknown";
  return (
    <span className={`badge badge-${t}`} data-testid="tier-badge">
      <span className="sr-only">Tier: </span>
      {t}
    </span>
  );
}

function statusLabel(status: Proposal["status"]): string {
  switch (status) {
    case "drafting":
      return "drafting…";
    case "awaiting_review":
      return "awaiting review";
    case "sending":
      return "sending…";
    default:
      return "closed";
  }
}

export function StatusBadge({ status }: { status: Proposal["status"] }) {
  const style = status === "awaiting_review" ? "text-emerald-700" : status === "drafting" ? "text-amber-700" : "text-neutral-500";
  const dot = status === "awaiting_review" ? "bg-emerald-500" : status === "drafting" ? "bg-amber-500 animate-pulse" : "bg-neutral-400";
  return (
    <span className={`status ${style}`} data-testid="proposal-status">
      <span aria-hidden="true" className={`status-dot ${dot}`} />
      {statusLabel(status)}
    </span>
  );
}

export function RoundBadge({ round }: { round: number }) {
  if (round <= 1) return null;
  return (
    <span className="badge bg-neutral-900 text-white" title={`Revision round ${round}`} data-testid="round-badge">
      round {round}
    </span>
  );
}

/** Time left to the first-response target: red when overdue, amber when near breach. */
export function SlaBadge({ dueAt, now, nearMinutes }: { dueAt: string | null | undefined; now: number; nearMinutes?: number }) {
  const left = slaLeft(dueAt, now, nearMinutes);
  if (!left) return null;
  return (
    <span
      className={`badge tabular-nums badge-${left.tone}`}
      title={`First response due ${utcStamp(dueAt)}`}
      data-testid="proposal-sla"
      data-tone={left.tone}
      suppressHydrationWarning
    >
      <span className="sr-only">SLA: </span>
      {left.label}
    </span>
  );
}

/** What each hard stop means to a reviewer. */
const HARD_STOP_NAMES: Record<string, string> = {
  anger: "The customer is angry",
  legal_threat: "Legal threat",
  human_request: "Asks for a person",
  prompt_injection: "Tries to instruct the AI",
};

/** Hard stops in the ticket: always a person, never auto-sent. */
export function isHardStop(r: Proposal["risk"][number]): boolean {
  return r.source === "ticket" && r.kind in HARD_STOP_NAMES;
}

/**
 * Risk flags, e.g. refund: 'refunded'; a hard stop says what it is and why
 * (the words that matched, or the sentence the classifier read and its confidence).
 */
export function RiskBadges({ risk }: { risk: Proposal["risk"] | undefined }) {
  if (!risk?.length) return null;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Risk flags">
      {risk.map((r, i) => (
        <li
          key={`${r.kind}:${r.match}:${i}`}
          className="badge bg-red-50 text-red-800 ring-1 ring-red-200 ring-inset"
          data-testid="risk-flag"
          data-kind={r.kind}
        >
          {isHardStop(r) ? `${HARD_STOP_NAMES[r.kind]}: '${r.match}'` : `${r.kind.replaceAll("_", " ")}: '${r.match}'`}
          {r.confidence === undefined ? null : <span className="ml-1 text-red-700/70">(read by the classifier, {Math.round(r.confidence * 100)} %)</span>}
        </li>
      ))}
    </ul>
  );
}
