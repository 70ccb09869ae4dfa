import type { TaskSummary } from "../../worker/domain/types";
import { utcStamp } from "../lib/format";

const STATUS_STYLE: Record<string, string> = {
  sent: "text-emerald-700",
  rejected: "text-red-700",
  expired: "text-amber-700",
  failed: "text-red-700",
  held: "text-amber-700",
  queued: "text-sky-700",
  skipped: "text-neutral-400",
};

export function RecentTasksTable({ tasks }: { tasks: TaskSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table data-testid="recent-tasks" className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">Recent tasks</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Subject
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Requester
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Corrected
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Rounds
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Decided by
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Completed
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {tasks.length === 0 ? (
            <tr>
              <td colSpan={7} className="px-3 py-6 text-center text-neutral-500">
                No tasks yet.
              </td>
            </tr>
          ) : (
            tasks.map((t) => (
              <tr key={t.id} data-task-id={t.id} className="hover:bg-neutral-50">
                <td className="max-w-[22rem] truncate px-3 py-2 font-medium text-neutral-900" title={t.subject}>
                  {t.subject}
                </td>
                <td className="max-w-[14rem] truncate px-3 py-2 text-neutral-600" title={t.requesterEmail}>
                  {t.requesterEmail}
                </td>
                <td className="px-3 py-2">
                  <span className={`font-medium ${STATUS_STYLE[t.status] ?? "text-neutral-700"}`}>{t.status.replace("_", " ")}</span>
                  {t.outcome && t.outcome !== t.status ? <span className="text-neutral-500"> · {t.outcome}</span> : null}
                </td>
                <td className="px-3 py-2">
                  {t.corrected ? <span className="font-medium text-amber-700">yes</span> : <span className="text-neutral-500">no</span>}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{t.round}</td>
                <td className="max-w-[12rem] truncate px-3 py-2 text-neutral-600">{t.decidedBy ?? "—"}</td>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-neutral-600" title={t.completedAt ?? undefined}>
                  {utcStamp(t.completedAt)}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
