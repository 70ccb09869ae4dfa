import { Link } from "react-router";
import type { Proposal } from "../../worker/types";
import { timeAgo } from "../lib/format";
import { PriorityBadge, RoundBadge, StatusBadge, TierBadge } from "./Badges";

interface Props {
  proposals: Proposal[];
  selectedId: string | null;
  now: number;
}

export function QueueList({ proposals, selectedId, now }: Props) {
  if (proposals.length === 0) {
    return (
      <div className="px-4 py-10 text-center text-xs text-neutral-500" data-testid="queue-empty">
        <p className="font-medium text-neutral-700">Nothing to review</p>
        <p className="mt-1">New proposals appear here as the agent drafts them.</p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-neutral-100" aria-label="Open proposals">
      {proposals.map((p) => (
        <QueueItem key={p.taskId} proposal={p} selected={p.taskId === selectedId} now={now} />
      ))}
    </ul>
  );
}

function QueueItem({ proposal: p, selected, now }: { proposal: Proposal; selected: boolean; now: number }) {
  return (
    <li data-testid="queue-item" data-task-id={p.taskId} data-status={p.status}>
      <Link
        to={`?task=${encodeURIComponent(p.taskId)}`}
        preventScrollReset
        aria-current={selected ? "true" : undefined}
        className={[
          "block border-l-2 px-3 py-2.5 outline-none focus-visible:bg-neutral-100",
          selected ? "border-neutral-900 bg-neutral-100" : "border-transparent hover:bg-neutral-50",
        ].join(" ")}
      >
        <div className="flex items-start justify-between gap-2">
          <span className="line-clamp-2 text-[13px] font-medium text-neutral-900">{p.subject || "(no subject)"}</span>
          <time
            dateTime={p.receivedAt}
            title={p.receivedAt}
            suppressHydrationWarning
            className="shrink-0 pt-px text-[11px] tabular-nums text-neutral-500"
          >
            <span className="sr-only">Age: </span>
            {timeAgo(p.receivedAt, now)}
          </time>
        </div>
        <div className="mt-0.5 truncate text-xs text-neutral-500">
          {p.requester.name ? `${p.requester.name} · ` : ""}
          {p.requester.email}
        </div>
        <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
          <PriorityBadge priority={p.priority} />
          <TierBadge tier={p.entitlement?.tier} />
          <RoundBadge round={p.round} />
          <span className="ml-auto">
            <StatusBadge status={p.status} />
          </span>
        </div>
      </Link>
    </li>
  );
}
