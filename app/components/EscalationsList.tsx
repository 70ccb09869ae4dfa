import type { EscalationRow } from "../../worker/domain/types";
import { utcStamp } from "../lib/format";

/** Tasks nobody decided in time (expired, escalated) or that failed, with the note saying why. */
export function EscalationsList({ rows }: { rows: EscalationRow[] }) {
  if (rows.length === 0) {
    return (
      <p className="rounded-lg border border-neutral-200 bg-white px-3 py-6 text-center text-xs text-neutral-500" data-testid="escalations-empty">
        No escalations or failures.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-neutral-100 rounded-lg border border-neutral-200 bg-white" aria-label="Escalations and failures">
      {rows.map((r) => (
        <li key={r.id} className="px-3 py-2.5 text-xs" data-testid="escalation" data-task-id={r.id} data-status={r.status}>
          <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5">
            <span
              className={`rounded px-1.5 py-px text-[11px] font-medium ring-1 ring-inset ${
                r.status === "failed" ? "bg-red-50 text-red-700 ring-red-200" : "bg-amber-50 text-amber-800 ring-amber-200"
              }`}
            >
              {r.status === "failed" ? "failed" : "expired · escalated"}
            </span>
            <span className="min-w-0 truncate font-medium text-neutral-900" title={r.subject}>
              {r.subject || "(no subject)"}
            </span>
            <span className="font-mono text-[11px] text-neutral-400">#{r.ticketId}</span>
            <span className="text-neutral-500">{r.requesterEmail}</span>
            <time className="ml-auto whitespace-nowrap tabular-nums text-neutral-500" dateTime={r.completedAt ?? undefined}>
              {utcStamp(r.completedAt)}
            </time>
          </div>
          <p className="mt-1 whitespace-pre-wrap break-words text-neutral-700" data-testid="escalation-note">
            {r.note ?? <span className="text-neutral-400">No note recorded.</span>}
          </p>
        </li>
      ))}
    </ul>
  );
}
