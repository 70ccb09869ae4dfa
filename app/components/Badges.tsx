import type { PlanTier, Priority, Proposal } from "../../worker/types";
import { slaLeft, utcStamp } from "../lib/format";

const base = "inline-flex items-center gap-1 rounded px-1.5 py-px text-[11px] font-medium leading-4 whitespace-nowrap";

const PRIORITY_STYLE: Record<Priority, string> = {
  urgent: "bg-red-50 text-red-700 ring-1 ring-inset ring-red-200",
  high: "bg-orange-50 text-orange-700 ring-1 ring-inset ring-orange-200",
  normal: "bg-neutral-100 text-neutral-700 ring-1 ring-inset ring-neutral-200",
  low: "bg-white text-neutral-500 ring-1 ring-inset ring-neutral-200",
};

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`${base} ${PRIORITY_STYLE[priority] ?? PRIORITY_STYLE.normal}`} data-testid="priority-badge">
      <span className="sr-only">Priority: </span>
      {priority}
    </span>
  );
}

const TIER_STYLE: Record<PlanTier, string> = {
  enterprise: "bg-violet-50 text-violet-700 ring-1 ring-inset ring-violet-200",
  pro: "bg-sky-50 text-sky-700 ring-1 ring-inset ring-sky-200",
  free: "bg-neutral-50 text-neutral-600 ring-1 ring-inset ring-neutral-200",
  unknown: "bg-white text-neutral-400 border border-dashed border-neutral-300",
};

export function TierBadge({ tier }: { tier: PlanTier | null | undefined }) {
  const t = tier ?? "unknown";
  return (
    <span className={`${base} ${TIER_STYLE[t] ?? TIER_STYLE.unknown}`} data-testid="tier-badge">
      <span className="sr-only">Tier: </span>
      {t}
    </span>
  );
}

export function statusLabel(status: Proposal["status"]): string {
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
  const style =
    status === "awaiting_review"
      ? "text-emerald-700"
      : status === "drafting"
        ? "text-amber-700"
        : "text-neutral-500";
  const dot =
    status === "awaiting_review" ? "bg-emerald-500" : status === "drafting" ? "bg-amber-500 animate-pulse" : "bg-neutral-400";
  return (
    <span className={`inline-flex items-center gap-1.5 text-[11px] font-medium whitespace-nowrap ${style}`} data-testid="proposal-status">
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${dot}`} />
      {statusLabel(status)}
    </span>
  );
}

export function RoundBadge({ round }: { round: number }) {
  if (round <= 1) return null;
  return (
    <span className={`${base} bg-neutral-900 text-white`} title={`Revision round ${round}`} data-testid="round-badge">
      round {round}
    </span>
  );
}

const SLA_STYLE = {
  overdue: "bg-red-50 text-red-700 ring-1 ring-inset ring-red-200",
  near: "bg-amber-50 text-amber-800 ring-1 ring-inset ring-amber-200",
  ok: "text-neutral-500",
} as const;

/** Time left to the first-response target: red when overdue, amber when near breach. */
export function SlaBadge({ dueAt, now, nearMinutes }: { dueAt: string | null | undefined; now: number; nearMinutes?: number }) {
  const left = slaLeft(dueAt, now, nearMinutes);
  if (!left) return null;
  return (
    <span
      className={`${base} tabular-nums ${SLA_STYLE[left.tone]}`}
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

/** Risky clauses found in a draft, e.g. refund: 'refunded'. */
export function RiskBadges({ risk }: { risk: Proposal["risk"] | undefined }) {
  if (!risk?.length) return null;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Risk flags">
      {risk.map((r, i) => (
        <li key={`${r.kind}:${r.match}:${i}`} className={`${base} bg-red-50 text-red-800 ring-1 ring-inset ring-red-200`} data-testid="risk-flag" data-kind={r.kind}>
          {`${r.kind.replaceAll("_", " ")}: '${r.match}'`}
        </li>
      ))}
    </ul>
  );
}
