import { Link } from "react-router";
import type { ProposalSummary } from "../../worker/domain/types";
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

function QueueItem({
  proposal: p,
  selected,
  now,
  nearMinutes,
  href,
}: {
  proposal: ProposalSummary;
  selected: boolean;
  now: number;
  nearMinutes?: number;
  href: string;
}) {
  const risky = p.risk.length > 0;
  return (
    <li data-testid="queue-item" data-task-id={p.taskId} data-status={p.status}>
      <Link id={queueItemId(p.taskId)} to={href} preventScrollReset aria-current={selected ? "true" : undefined} className="queue-row">
        <div className="queue-row-head">
          <span className="queue-row-subject">{p.subject || "(no subject)"}</span>
          <time dateTime={p.receivedAt} title={p.receivedAt} suppressHydrationWarning className="queue-row-age">
            <span className="sr-only">Age: </span>
            {timeAgo(p.receivedAt, now)}
          </time>
        </div>
        <div className="queue-row-who">
          <span className="min-w-0 flex-1 truncate">
            {p.requester.name ? `${p.requester.name} · ` : ""}
            {p.requester.email}
          </span>
          <SlaBadge dueAt={p.dueAt} now={now} nearMinutes={nearMinutes} />
        </div>
        <div className="queue-row-badges">
          <PriorityBadge priority={p.priority} />
          <TierBadge tier={p.tier} />
          <RoundBadge round={p.round} />
          {p.category ? <span className="text-[11px] text-neutral-500">{p.category}</span> : null}
          {p.origin === "mcp" ? (
            <span
              className="badge badge-mcp"
              title={p.proposedBy ? `Proposed over MCP by ${p.proposedBy.client} for ${p.proposedBy.by}` : "Proposed over MCP"}
              data-testid="queue-mcp"
            >
              mcp
            </span>
          ) : null}
          {p.noProposal ? (
            <span className="badge badge-near" title="The agent proposed no reply: a person writes it" data-testid="queue-no-proposal">
              write reply
            </span>
          ) : null}
          {risky ? (
            <span className="badge badge-risk" title={`Risky: ${p.risk.join(", ")}`} data-testid="queue-risk">
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
