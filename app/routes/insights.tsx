import {
  dailyFiguresFor,
  escalations,
  insightsFilterFromUrl,
  latencyWindowFromUrl,
  recentTasks,
  toolLatencyReport,
  triageInsights,
  waitingCounts,
} from "../../worker/http/dashboard";
import { ErrorView } from "../components/ErrorView";
import { EscalationsList } from "../components/EscalationsList";
import { FiguresChart } from "../components/FiguresChart";
import { LatencySection } from "../components/LatencySection";
import { RecentTasksTable } from "../components/RecentTasksTable";
import { StatCards } from "../components/StatCards";
import { TriageInsightsSection } from "../components/TriageInsights";
import { accountAccess, envOf } from "../lib/access.server";
import type { Route } from "./+types/insights";

export const meta: Route.MetaFunction = () => [{ title: "Insights · Support Triage" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "lead");
  const env = envOf(context);
  // The triage filters and the latency window live in the URL (?days=&category=&language=&latency=); a value that is not valid is ignored.
  const url = new URL(request.url);
  const [figures, tasks, escalated, waiting, triage, latency] = await Promise.all([
    dailyFiguresFor(env, accountId, 14),
    recentTasks(env, accountId, 25),
    escalations(env, accountId, 20),
    waitingCounts(env, accountId),
    triageInsights(env, accountId, insightsFilterFromUrl(url)),
    toolLatencyReport(env, accountId, latencyWindowFromUrl(url)),
  ]);
  return { accountId, figures, tasks, escalated, waiting, triage, latency };
}

export default function Insights({ loaderData }: Route.ComponentProps) {
  const { accountId, figures, tasks, escalated, waiting, triage, latency } = loaderData;
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1200px] space-y-5 p-6">
        <div className="flex items-baseline justify-between">
          <h1 className="text-base font-semibold">Insights</h1>
          <p className="text-xs text-neutral-500">Last 14 days, UTC{figures.length ? ` · ${figures[0]!.day} – ${figures[figures.length - 1]!.day}` : ""}</p>
        </div>

        <StatCards figures={figures} />

        <section aria-labelledby="chart-heading" className="rounded-lg border border-neutral-200 bg-white p-4">
          <h2 id="chart-heading" className="mb-2 text-xs font-semibold text-neutral-700">
            Tasks per day
          </h2>
          <FiguresChart figures={figures} />
        </section>

        <TriageInsightsSection insights={triage} />

        <LatencySection report={latency} account={accountId} />

        <section aria-labelledby="escalations-heading" className="space-y-2" data-testid="escalations">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="escalations-heading" className="text-xs font-semibold text-neutral-700">
              Escalations and failures
            </h2>
            <p className="text-[11px] text-neutral-500" data-testid="waiting-counts">
              Not triaged: <span data-testid="count-held">{waiting.held}</span> held by the kill switch ·{" "}
              <span data-testid="count-queued">{waiting.queued}</span> queued for a slot · <span data-testid="count-skipped">{waiting.skippedToday}</span>{" "}
              outside the rollout today
            </p>
          </div>
          <EscalationsList rows={escalated} />
        </section>

        <section aria-labelledby="recent-heading" className="space-y-2">
          <h2 id="recent-heading" className="text-xs font-semibold text-neutral-700">
            Recent tasks
          </h2>
          <RecentTasksTable tasks={tasks} />
        </section>
      </div>
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
