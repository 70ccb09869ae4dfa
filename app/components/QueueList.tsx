import { Link } from "react-router";
import type { ProposalSummary } from "../../worker/types";
import { timeAgo } from "../lib/format";
import { PriorityBadge, RoundBadge, SlaBadge, StatusBadge, TierBadge } from "./Badges";

interface Props {
  proposals: ProposalSummary[];
  selectedId: string | null;
  now: number;
  /** The account's near-breach window (policy.nearBreachMinutes). */
  nearMinutes?: number;
  /** The link of one row (keeps the page's filters). */
  hrefFor: (taskId: string) => string;
  /** Whether filters hide part of the queue (changes the empty message). */
  filtered: boolean;
}

export function queueItemId(taskId: string) {
  return `queue-item-${taskId}`;
}

export function QueueList({ proposals, selectedId, now, nearMinutes, hrefFor, filtered }: Props) {
  if (proposals.length === 0) {
    return (
      <div className="px-4 py-10 text-center text-xs text-neutral-500" data-testid="queue-empty">
        <p className="font-medium text-neutral-700">{filtered ? "Nothing matches these filters" : "Nothing to review"}</p>
        <p className="mt-1">{filtered ? "Clear a filter to see more of the queue." : "New proposals appear here as the agent drafts them."}</p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-neutral-100" aria-label="Open proposals" data-testid="queue-list">
      {proposals.map((p) => (
        <QueueItem key={p.taskId} proposal={p} selected={p.taskId === selectedId} now={now} nearMinutes={nearMinutes} href={hrefFor(p.taskId)} />
      ))}
    </ul>
  );
}

function QueueItem({ proposal: p, selected, now, nearMinutes, href }: { proposal: ProposalSummary; selected: boolean; now: number; nearMinutes?: number; href: string }) {
  const risky = p.risk.length > 0;
  return (
    <li data-testid="queue-item" data-task-id={p.taskId} data-status={p.status} data-due-at={p.dueAt ?? undefined}>
      <Link
        id={queueItemId(p.taskId)}
        to={href}
        preventScrollReset
        aria-current={selected ? "true" : undefined}
        className={[
          "block border-l-2 px-3 py-2.5 outline-none focus-visible:bg-neutral-100 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-neutral-400",
          selected ? "border-neutral-900 bg-neutral-100" : "border-transparent hover:bg-neutral-50",
        ].join(" ")}
      >
        <div className="flex items-start justify-between gap-2">
          <span className="line-clamp-2 text-[13px] font-medium text-neutral-900">{p.subject || "(no subject)"}</span>
          <time dateTime={p.receivedAt} title={p.receivedAt} suppressHydrationWarning className="shrink-0 pt-px text-[11px] tabular-nums text-neutral-500">
            <span className="sr-only">Age: </span>
            {timeAgo(p.receivedAt, now)}
          </time>
        </div>
        <div className="mt-0.5 flex items-center gap-2 text-xs text-neutral-500">
          <span className="min-w-0 flex-1 truncate">
            {p.requester.name ? `${p.requester.name} · ` : ""}
            {p.requester.email}
          </span>
          <SlaBadge dueAt={p.dueAt} now={now} nearMinutes={nearMinutes} />
        </div>
        <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
          <PriorityBadge priority={p.priority} />
          <TierBadge tier={p.tier} />
          <RoundBadge round={p.round} />
          {p.category ? <span className="text-[11px] text-neutral-500">{p.category}</span> : null}
          {p.origin === "mcp" ? (
            <span
              className="inline-flex items-center rounded px-1.5 py-px text-[11px] font-medium leading-4 text-indigo-700 ring-1 ring-inset ring-indigo-200"
              title={p.proposedBy ? `Proposed over MCP by ${p.proposedBy.client} for ${p.proposedBy.by}` : "Proposed over MCP"}
              data-testid="queue-mcp"
            >
              mcp
            </span>
          ) : null}
          {risky ? (
            <span
              className="inline-flex items-center rounded px-1.5 py-px text-[11px] font-medium leading-4 text-red-700 ring-1 ring-inset ring-red-200"
              title={`Risky: ${p.risk.join(", ")}`}
              data-testid="queue-risk"
            >
              risk
            </span>
          ) : null}
          <span className="ml-auto">
            <StatusBadge status={p.status} />
          </span>
        </div>
      </Link>
    </li>
  );
}
