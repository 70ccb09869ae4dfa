import { useEffect, useMemo, useState } from "react";
import { formText } from "../lib/form";
import { data, useSearchParams, type ShouldRevalidateFunctionArgs } from "react-router";
import { useAgent } from "agents/react";
import type { Route } from "./+types/queue";
import type { AccountAgentState, Proposal } from "../../worker/types";
import { decideTask, parseDecision } from "../../worker/services/decisions";
import { HttpError } from "../../worker/lib/http";
import { operatingState } from "../../worker/operations/settings";
import { accountAccess, envOf } from "../lib/access.server";
import { openProposals } from "../lib/agent.server";
import type { DecisionResponse } from "../lib/decision";
import { useNow } from "../lib/hooks";
import { QueueList } from "../components/QueueList";
import { DecisionScope } from "../components/DecisionScope";
import { LiveIndicator } from "../components/LiveIndicator";
import { ErrorView } from "../components/ErrorView";

export const meta: Route.MetaFunction = () => [{ title: "Review queue · Support Triage" }];

export async function loader({ context }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "agent");
  const env = envOf(context);
  const [proposals, ops] = await Promise.all([openProposals(env, accountId), operatingState(env, accountId)]);
  return { proposals, nearBreachMinutes: ops.policy.nearBreachMinutes };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { user, accountId } = accountAccess(context, "agent");
  const form = await request.formData();
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

// Selecting a proposal only changes `?task=`: no need to reload the queue.
export function shouldRevalidate({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname) return false;
  return defaultShouldRevalidate;
}

const STATUS_ORDER: Record<Proposal["status"], number> = { awaiting_review: 0, drafting: 1, sending: 2, closed: 3 };
const dueTime = (p: Proposal) => {
  const t = p.dueAt ? Date.parse(p.dueAt) : NaN;
  return Number.isNaN(t) ? Infinity : t;
};

/**
 * Open proposals, most urgent first: by first-response deadline (overdue and
 * near breach come first; no deadline last), then awaiting review before
 * drafting, then oldest first.
 */
const visible = (list: Proposal[]) =>
  list
    .filter((p) => p.status !== "closed")
    .sort(
      (a, b) =>
        dueTime(a) - dueTime(b) ||
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        Date.parse(a.receivedAt) - Date.parse(b.receivedAt),
    );

export default function Queue({ loaderData, params }: Route.ComponentProps) {
  const account = params.account;
  const [searchParams] = useSearchParams();
  const selectedId = searchParams.get("task");
  const now = useNow(15_000);

  // The loader's list until the agent's synced state arrives; whichever came last wins.
  const [live, setLive] = useState<{ account: string; proposals: Proposal[] } | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => setLive(null), [loaderData]);

  useAgent<AccountAgentState>({
    agent: "support-agent",
    name: account,
    onStateUpdate: (state) => {
      if (state && Array.isArray(state.proposals)) setLive({ account, proposals: state.proposals });
    },
    onOpen: () => setConnected(true),
    onClose: () => setConnected(false),
  });

  const source = live && live.account === account ? live.proposals : loaderData.proposals;
  const proposals = useMemo(() => visible(source), [source]);
  const selected = selectedId ? proposals.find((p) => p.taskId === selectedId) : undefined;
  const awaiting = proposals.filter((p) => p.status === "awaiting_review").length;

  return (
    <div className="grid h-full grid-cols-[20rem_minmax(0,1fr)]">
      <section aria-label="Review queue" className="flex min-h-0 flex-col border-r border-neutral-200 bg-white">
        <div className="flex h-10 shrink-0 items-center justify-between border-b border-neutral-200 px-3">
          <h1 className="text-xs font-semibold text-neutral-900">
            Review queue{" "}
            <span className="font-normal text-neutral-500" data-testid="queue-count">
              {awaiting} awaiting · {proposals.length} open
            </span>
          </h1>
          <LiveIndicator connected={connected} />
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto">
          <QueueList proposals={proposals} selectedId={selectedId} now={now} nearMinutes={loaderData.nearBreachMinutes} />
        </div>
      </section>

      <section aria-label="Proposal" className="min-h-0 overflow-y-auto">
        {selectedId ? (
          <DecisionScope
            key={selectedId}
            taskId={selectedId}
            proposal={selected}
            actionUrl={`/accounts/${encodeURIComponent(account)}/queue`}
            now={now}
            nearMinutes={loaderData.nearBreachMinutes}
          />
        ) : (
          <div className="flex h-full items-center justify-center p-8 text-center text-xs text-neutral-500" data-testid="proposal-empty">
            <div>
              <p className="font-medium text-neutral-700">Select a proposal</p>
              <p className="mt-1">Pick a ticket on the left to review the agent's draft.</p>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
