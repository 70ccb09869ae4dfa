import type { Route } from "./+types/insights";
import { dailyFiguresFor, recentTasks } from "../../worker/db/queries";
import { accountAccess, envOf } from "../lib/access.server";
import { FiguresChart } from "../components/FiguresChart";
import { StatCards } from "../components/StatCards";
import { RecentTasksTable } from "../components/RecentTasksTable";
import { ErrorView } from "../components/ErrorView";

export const meta: Route.MetaFunction = () => [{ title: "Insights · Support Triage" }];

export async function loader({ context }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "lead");
  const env = envOf(context);
  const [figures, tasks] = await Promise.all([dailyFiguresFor(env, accountId, 14), recentTasks(env, accountId, 25)]);
  return { figures, tasks };
}

export default function Insights({ loaderData }: Route.ComponentProps) {
  const { figures, tasks } = loaderData;
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1200px] space-y-5 p-6">
        <div className="flex items-baseline justify-between">
          <h1 className="text-base font-semibold">Insights</h1>
          <p className="text-xs text-neutral-500">
            Last 14 days, UTC{figures.length ? ` · ${figures[0]!.day} – ${figures[figures.length - 1]!.day}` : ""}
          </p>
        </div>

        <StatCards figures={figures} />

        <section aria-labelledby="chart-heading" className="rounded-lg border border-neutral-200 bg-white p-4">
          <h2 id="chart-heading" className="mb-2 text-xs font-semibold text-neutral-700">
            Tasks per day
          </h2>
          <FiguresChart figures={figures} />
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
