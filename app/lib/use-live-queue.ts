// The queue page's live data: the loader's first page, then the account
// agent's events over the WebSocket (one small message per change), a
// catch-up from the last version after a reconnect, and further pages on demand.
import { useAgent } from "agents/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRevalidator } from "react-router";
import type { AccountAgentState, Proposal, ProposalPage, QueueChanges, QueueEvent, QueueFilter } from "../../worker/domain/types";
import { appendPage, applyRemove, applyUpsert, filterQuery, type QueueView } from "./queue";

const fromPage = (page: ProposalPage): QueueView => ({
  items: page.proposals,
  nextCursor: page.nextCursor,
  counts: page.counts,
  version: page.version,
  removed: [],
});

export function useLiveQueue(account: string, page: ProposalPage, filter: QueueFilter) {
  const [view, setView] = useState<QueueView>(() => fromPage(page));
  const viewRef = useRef(view);
  viewRef.current = view;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const [connected, setConnected] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const revalidator = useRevalidator();

  // A new first page from the loader (another filter, a revalidation) replaces the view.
  useEffect(() => setView(fromPage(page)), [page]);

  const apply = useCallback((update: (v: QueueView) => QueueView) => {
    setView((v) => {
      const next = update(v);
      viewRef.current = next;
      return next;
    });
  }, []);

  const agent = useAgent<AccountAgentState>({
    agent: "account-agent",
    name: account,
    onOpen: () => setConnected(true),
    onClose: () => setConnected(false),
    onMessage: (e: MessageEvent) => {
      if (typeof e.data !== "string" || !e.data.startsWith('{"type":"queue.')) return;
      const event = JSON.parse(e.data) as QueueEvent;
      if (event.type === "queue.hello") {
        // (Re)connected: ask for what changed while away.
        if (event.version > viewRef.current.version) void catchUp();
        else apply((v) => ({ ...v, counts: event.counts }));
        return;
      }
      if (event.version <= viewRef.current.version) return;
      apply((v) => {
        const next = event.type === "queue.upsert" ? applyUpsert(v, event.proposal, filterRef.current) : applyRemove(v, event.taskId);
        return { ...next, counts: event.counts, version: event.version };
      });
    },
  });

  const catchUp = useCallback(async () => {
    const since = viewRef.current.version;
    try {
      const changes = (await agent.call("queueChanges", [since])) as QueueChanges | { error: string };
      if ("error" in changes) return;
      if (changes.reset) {
        await revalidator.revalidate();
        return;
      }
      apply((v) => {
        let next = v;
        for (const p of changes.upserts) next = applyUpsert(next, p, filterRef.current);
        for (const r of changes.removes) next = applyRemove(next, r.taskId);
        return { ...next, counts: changes.counts, version: Math.max(v.version, changes.version) };
      });
    } catch {
      // The socket dropped again; the next hello asks again.
    }
  }, [agent, apply, revalidator]);

  const loadMore = useCallback(async () => {
    const cursor = viewRef.current.nextCursor;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setLoadError(null);
    try {
      const q = filterQuery(filterRef.current);
      q.set("cursor", cursor);
      const res = await fetch(`/api/accounts/${encodeURIComponent(account)}/proposals?${q}`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? `HTTP ${res.status}`);
      const next = (await res.json()) as ProposalPage;
      // Only if nothing reset the view meanwhile.
      apply((v) => (v.nextCursor === cursor ? appendPage(v, next) : v));
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoadingMore(false);
    }
  }, [account, apply, loadingMore]);

  return { view, connected, loadMore, loadingMore, loadError };
}

/**
 * The selected proposal's whole record, loaded on demand: from the loader
 * when the page was opened on it, else fetched; fetched again when its queue
 * row changes (a new round, a decision).
 */
export function useProposalDetail(account: string, taskId: string | null, initial: Proposal | null, rowVersion: number | undefined) {
  const [detail, setDetail] = useState<{ taskId: string; proposal: Proposal | null } | null>(initial ? { taskId: initial.taskId, proposal: initial } : null);
  const [loading, setLoading] = useState(false);
  // What the shown detail was loaded for: the loader's copy counts as loaded for the row as first seen.
  const loadedFor = useRef<string | null>(initial ? `${initial.taskId}:${rowVersion ?? ""}` : null);
  useEffect(() => {
    if (!taskId) return;
    const key = `${taskId}:${rowVersion ?? ""}`;
    if (loadedFor.current === key) return;
    loadedFor.current = key;
    const controller = new AbortController();
    setLoading(true);
    fetch(`/api/accounts/${encodeURIComponent(account)}/proposals/${encodeURIComponent(taskId)}`, {
      signal: controller.signal,
      headers: { accept: "application/json" },
    })
      .then(async (res) => setDetail({ taskId, proposal: res.ok ? ((await res.json()) as Proposal) : null }))
      .catch(() => undefined)
      .finally(() => setLoading(false));
    return () => {
      controller.abort();
      // Cut short (e.g. React's double effect in development): load it again next time.
      if (loadedFor.current === key) loadedFor.current = null;
    };
  }, [account, taskId, rowVersion]);
  const loadedThis = !!detail && detail.taskId === taskId;
  // "Loading" only before the first answer for this task: a reload (new round,
  // decided, closed) keeps the detail pane mounted, so its decision
  // confirmation is not lost when the proposal leaves the queue.
  return { proposal: loadedThis ? detail.proposal : null, loading: loading && !loadedThis };
}
