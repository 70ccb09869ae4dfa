import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { data, type ShouldRevalidateFunctionArgs, useNavigate, useSearchParams } from "react-router";
import { parseDecision } from "../../worker/domain/decisions";
import { HttpError } from "../../worker/domain/errors";
import { decideTask, openProposal, operatingState, queuePage } from "../../worker/http/dashboard";
import { DecisionScope } from "../components/DecisionScope";
import { ErrorView } from "../components/ErrorView";
import { KeyboardHelp } from "../components/KeyboardHelp";
import { LiveIndicator } from "../components/LiveIndicator";
import { FILTER_FIRST_ID, QueueFilters } from "../components/QueueFilters";
import { QueueList, queueItemId } from "../components/QueueList";
import { accountAccess, envOf } from "../lib/access.server";
import type { DecisionResponse } from "../lib/decision";
import { formText, readFormData } from "../lib/form";
import { useNow } from "../lib/hooks";
import { filterFromSearch, filterQuery, QUEUE_FILTER_KEYS } from "../lib/queue";
import { useLiveQueue, useProposalDetail } from "../lib/use-live-queue";
import type { Route } from "./+types/queue";

export const meta: Route.MetaFunction = () => [{ title: "Review queue · Support Triage" }];

/** The first page of the queue (most urgent first), and the selected proposal when the URL names one. */
export async function loader({ context, request }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "agent");
  const env = envOf(context);
  const url = new URL(request.url);
  const filter = filterFromSearch(url.searchParams);
  const selectedId = url.searchParams.get("task");
  const [page, ops, selected] = await Promise.all([
    queuePage(env, accountId, filter, 50),
    operatingState(env, accountId),
    selectedId ? openProposal(env, accountId, selectedId) : Promise.resolve(null),
  ]);
  // The account's own categories, for the category filter.
  const categories = ops.policy.categories.map((c) => ({ id: c.id, name: c.name }));
  return { page, selected, nearBreachMinutes: ops.policy.nearBreachMinutes, categories };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { user, accountId } = accountAccess(context, "agent");
  const form = await readFormData(request);
  const text = formText(form);
  const taskId = text("taskId").trim();
  if (!taskId) {
    return data<DecisionResponse>(
      { ok: false, taskId: null, error: "invalid decision", fields: [{ path: "taskId", message: "missing taskId" }] },
      { status: 400 },
    );
  }
  // Only forward the fields that were filled in; the schema rejects extras.
  const raw: Record<string, string> = { action: text("action") };
  if (text("body").trim()) raw.body = text("body");
  if (text("note").trim()) raw.note = text("note");
  try {
    const result = await decideTask(envOf(context), user, accountId, taskId, parseDecision(raw));
    return data<DecisionResponse>({ ok: true, result });
  } catch (err) {
    if (err instanceof HttpError) {
      return data<DecisionResponse>({ ok: false, taskId, error: err.message, fields: err.fields }, { status: err.status });
    }
    throw err;
  }
}

/**
 * The list follows live events, so neither selecting a proposal (`?task=`)
 * nor deciding on one reloads it; only another filter loads a new first page.
 */
export function shouldRevalidate({ currentUrl, nextUrl, formMethod, formAction, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  const filtersOf = (u: URL) => QUEUE_FILTER_KEYS.map((k) => u.searchParams.get(k) ?? "").join("|");
  if (formMethod && formMethod !== "GET" && formAction?.startsWith(currentUrl.pathname)) return false;
  if (!formMethod && currentUrl.pathname === nextUrl.pathname && filtersOf(currentUrl) === filtersOf(nextUrl)) return false;
  return defaultShouldRevalidate;
}

const isTyping = (el: Element | null) =>
  !!el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || (el as HTMLElement).isContentEditable);

export default function Queue({ loaderData, params }: Route.ComponentProps) {
  const account = params.account;
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const filterKey = QUEUE_FILTER_KEYS.map((k) => searchParams.get(k) ?? "").join("|");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the filter changes only with its own parameters, not with ?task=
  const filter = useMemo(() => filterFromSearch(searchParams), [filterKey]);
  const selectedId = searchParams.get("task");
  const now = useNow(15_000);
  const { view, connected, loadMore, loadingMore, loadError } = useLiveQueue(account, loaderData.page, filter);
  const selectedRow = selectedId ? view.items.find((p) => p.taskId === selectedId) : undefined;
  const { proposal, loading } = useProposalDetail(account, selectedId, loaderData.selected, selectedRow?.version);
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const sentinel = useRef<HTMLDivElement>(null);

  const hrefFor = useCallback(
    (taskId: string) => {
      const q = filterQuery(filter);
      q.set("task", taskId);
      return `?${q}`;
    },
    [filter],
  );

  const select = useCallback(
    (index: number) => {
      const p = view.items[index];
      if (!p) return;
      navigate(hrefFor(p.taskId), { preventScrollReset: true, replace: true });
      document.getElementById(queueItemId(p.taskId))?.focus();
      setAnnouncement(`${index + 1} of ${view.items.length}: ${p.subject}, ${p.status.replace("_", " ")}, ${p.priority} priority`);
      if (index >= view.items.length - 5) void loadMore();
    },
    [view.items, navigate, hrefFor, loadMore],
  );

  // The keyboard, as in the help desks reviewers know: j/k to move, a/e/s/r to decide, / to filter, ? for help.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.metaKey || e.ctrlKey || e.altKey || helpOpen) return;
      if (isTyping(document.activeElement)) {
        if (e.key === "Escape") (document.activeElement as HTMLElement).blur();
        return;
      }
      const index = selectedId ? view.items.findIndex((p) => p.taskId === selectedId) : -1;
      const click = (testId: string) => (document.querySelector(`[data-testid="${testId}"]`) as HTMLButtonElement | null)?.click();
      const focus = (selector: string) => (document.querySelector(selector) as HTMLElement | null)?.focus();
      switch (e.key) {
        case "j":
        case "ArrowDown":
          select(Math.min(index + 1, view.items.length - 1));
          break;
        case "k":
        case "ArrowUp":
          select(Math.max(index - 1, 0));
          break;
        case "o":
        case "Enter":
          if (!selectedId) return select(0);
          focus('[data-testid="proposal-detail"]');
          break;
        case "a":
          click("decision-approve");
          break;
        case "e":
          focus('[data-testid="decision-edit-text"]');
          break;
        case "s":
          focus('[data-testid="decision-revise-note"]');
          break;
        case "r":
          if (document.querySelector('[data-testid="decision-reject"]') && window.confirm("Reject this proposal? Nothing is sent to the customer."))
            click("decision-reject");
          break;
        case "/":
          focus(`#${FILTER_FIRST_ID}`);
          break;
        case "?":
          setHelpOpen(true);
          break;
        default:
          return;
      }
      e.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [selectedId, view.items, select, helpOpen]);

  // Scrolling to the end of the list loads the next page.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !view.nextCursor) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), { rootMargin: "200px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [view.nextCursor, loadMore]);

  const filtered = Object.values(filter).some(Boolean);
  return (
    <div className="grid h-full grid-cols-[22rem_minmax(0,1fr)]">
      <section aria-label="Review queue" className="flex min-h-0 flex-col border-r border-neutral-200 bg-white">
        <div className="flex h-10 shrink-0 items-center justify-between border-b border-neutral-200 px-3">
          <h1 className="text-xs font-semibold text-neutral-900">
            Review queue{" "}
            <span className="font-normal text-neutral-500" data-testid="queue-count">
              {view.counts.awaiting_review} awaiting · {view.counts.open} open
            </span>
          </h1>
          <div className="flex items-center gap-2">
            <button
              type="button"
              onClick={() => setHelpOpen(true)}
              className="text-[11px] text-neutral-500 hover:text-neutral-900"
              aria-label="Keyboard shortcuts"
              data-testid="keyboard-help-open"
            >
              <kbd className="rounded border border-neutral-300 px-1 font-mono">?</kbd>
            </button>
            <LiveIndicator connected={connected} />
          </div>
        </div>
        <QueueFilters key={filterKey} filter={filter} categories={loaderData.categories} />
        <div className="min-h-0 flex-1 overflow-y-auto">
          <QueueList
            proposals={view.items}
            selectedId={selectedId}
            now={now}
            nearMinutes={loaderData.nearBreachMinutes}
            hrefFor={hrefFor}
            filtered={filtered}
          />
          {view.nextCursor ? (
            <div ref={sentinel} className="border-t border-neutral-100 p-3 text-center">
              <button
                type="button"
                onClick={() => void loadMore()}
                disabled={loadingMore}
                className="text-xs text-neutral-600 hover:text-neutral-900 disabled:opacity-50"
                data-testid="queue-load-more"
              >
                {loadingMore ? "Loading…" : "Load more"}
              </button>
              {loadError ? <p className="mt-1 text-xs text-red-700">Could not load more: {loadError}</p> : null}
            </div>
          ) : view.items.length > 0 ? (
            <p className="border-t border-neutral-100 p-3 text-center text-[11px] text-neutral-400" data-testid="queue-end">
              End of the queue
            </p>
          ) : null}
        </div>
        <p className="sr-only" aria-live="polite" data-testid="queue-announcement">
          {announcement}
        </p>
      </section>

      <section aria-label="Proposal" className="min-h-0 overflow-y-auto">
        {selectedId ? (
          loading ? (
            <p className="p-8 text-center text-xs text-neutral-500">Loading the proposal…</p>
          ) : (
            <DecisionScope
              key={selectedId}
              taskId={selectedId}
              proposal={
                !proposal || view.removed.includes(selectedId)
                  ? undefined
                  : selectedRow
                    ? { ...proposal, status: selectedRow.status, round: selectedRow.round }
                    : proposal
              }
              actionUrl={`/accounts/${encodeURIComponent(account)}/queue`}
              now={now}
              nearMinutes={loaderData.nearBreachMinutes}
            />
          )
        ) : (
          <div className="flex h-full items-center justify-center p-8 text-center text-xs text-neutral-500" data-testid="proposal-empty">
            <div>
              <p className="font-medium text-neutral-700">Select a proposal</p>
              <p className="mt-1">
                Pick a ticket on the left, or press <kbd className="rounded border border-neutral-300 px-1 font-mono">j</kbd> to start. Press{" "}
                <kbd className="rounded border border-neutral-300 px-1 font-mono">?</kbd> for all keys.
              </p>
            </div>
          </div>
        )}
      </section>
      <KeyboardHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
