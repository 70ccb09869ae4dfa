// The review queue as one dashboard holds it: the pages it loaded, kept in the
// server's order, and updated by the account agent's live events. Pure
// functions, so the rules are easy to read and to test.

import { PLAN_TIERS, PRIORITIES, PROPOSAL_STATUSES } from "../../worker/domain/enums";
import { type ProposalSummary, proposalSortKey, type QueueCounts, type QueueFilter } from "../../worker/domain/types";

export interface QueueView {
  items: ProposalSummary[];
  /** The next page's cursor; null when every matching row is loaded. */
  nextCursor: string | null;
  counts: QueueCounts;
  /** The last queue version this view reflects. */
  version: number;
  /** Tasks that left the queue while this page was open (the newest 200), so a selected one shows as closed. */
  removed: string[];
}

export const QUEUE_FILTER_KEYS = ["status", "priority", "tier", "category", "origin"] as const;

function matchesFilter(p: ProposalSummary, f: QueueFilter): boolean {
  return (
    (!f.status || p.status === f.status) &&
    (!f.priority || p.priority === f.priority) &&
    (!f.tier || p.tier === f.tier) &&
    (!f.category || p.category === f.category) &&
    (!f.origin || p.origin === f.origin)
  );
}

/**
 * A row changed (or appeared). It is shown when it matches the filter and
 * sorts within what is loaded; a row past the last loaded one waits for
 * "load more" (it will be on a later page), so pages never overlap or skip.
 */
export function applyUpsert(view: QueueView, p: ProposalSummary, filter: QueueFilter): QueueView {
  // An older copy of a row (a catch-up answer crossing a live event) never replaces a newer one.
  if (view.items.some((x) => x.taskId === p.taskId && x.version > p.version)) return view;
  const without = view.items.filter((x) => x.taskId !== p.taskId);
  const key = proposalSortKey(p);
  const last = view.items.at(-1);
  const withinLoaded = view.nextCursor === null || (last !== undefined && key <= proposalSortKey(last));
  if (!matchesFilter(p, filter) || !withinLoaded) return { ...view, items: without };
  const at = without.findIndex((x) => proposalSortKey(x) > key);
  const items = at === -1 ? [...without, p] : [...without.slice(0, at), p, ...without.slice(at)];
  return { ...view, items };
}

export function applyRemove(view: QueueView, taskId: string): QueueView {
  return { ...view, items: view.items.filter((x) => x.taskId !== taskId), removed: [...view.removed.filter((id) => id !== taskId), taskId].slice(-200) };
}

/** A next page, appended (a row already shown by a live update is not shown twice). */
export function appendPage(view: QueueView, page: { proposals: ProposalSummary[]; nextCursor: string | null }): QueueView {
  const seen = new Set(view.items.map((x) => x.taskId));
  return { ...view, items: [...view.items, ...page.proposals.filter((p) => !seen.has(p.taskId))], nextCursor: page.nextCursor };
}

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined => values.find((x) => x === v);

/** The filter in a URL's query (unknown values are ignored: the page shows everything for them). */
export function filterFromSearch(search: URLSearchParams): QueueFilter {
  const f: QueueFilter = {};
  const status = oneOf(PROPOSAL_STATUSES, search.get("status"));
  if (status) f.status = status;
  const priority = oneOf(PRIORITIES, search.get("priority"));
  if (priority) f.priority = priority;
  const tier = oneOf(PLAN_TIERS, search.get("tier"));
  if (tier) f.tier = tier;
  const category = search.get("category");
  if (category && /^[a-z][a-z0-9_-]{0,39}$/.test(category)) f.category = category;
  const origin = search.get("origin");
  if (origin === "help_desk" || origin === "mcp") f.origin = origin;
  return f;
}

/** The query string of a filter (for the REST list and the page's URL). */
export function filterQuery(f: QueueFilter): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of QUEUE_FILTER_KEYS) {
    const v = f[k];
    if (v) q.set(k, v);
  }
  return q;
}
