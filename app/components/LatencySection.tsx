import { Link, useSearchParams } from "react-router";
import {
  DRAFT_BUDGET_MS,
  LATENCY_WINDOWS,
  type LatencyReport,
  type LatencyRow,
  type LatencyWindow,
  overBudget,
  TOOL_CALL_BUDGET_MS,
} from "../../worker/domain/latency";
import { duration, utcSeconds } from "../lib/format";

const WINDOW_LABEL: Record<LatencyWindow, string> = { "24h": "24 hours", "7d": "7 days" };

const errorRate = (r: number) => (r === 0 ? "0%" : r < 0.1 ? `${(r * 100).toFixed(1)}%` : `${Math.round(r * 100)}%`);

/**
 * Tail latency: p50/p95/p99 per tool and for the whole draft against the
 * budgets, and the slowest calls. The window is in the URL (`?latency=7d`),
 * beside the triage filters, which it keeps.
 */
export function LatencySection({ report, account }: { report: LatencyReport; account: string }) {
  const [params] = useSearchParams();
  const searchFor = (w: LatencyWindow) => {
    const next = new URLSearchParams(params);
    if (w === "24h") next.delete("latency");
    else next.set("latency", w);
    const s = next.toString();
    return s ? `?${s}` : "";
  };
  const empty = report.tools.length === 0 && !report.draft;
  const { resolution } = report;
  return (
    <section aria-labelledby="latency-heading" className="space-y-3" data-testid="latency">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="latency-heading" className="text-xs font-semibold text-neutral-700">
          Latency
        </h2>
        <nav aria-label="Latency window" className="flex rounded border border-neutral-300 bg-white p-0.5 text-xs" data-testid="latency-window">
          {LATENCY_WINDOWS.map((w) => (
            <Link
              key={w}
              to={{ search: searchFor(w) }}
              preventScrollReset
              aria-current={w === report.window ? "page" : undefined}
              className={`rounded px-2 py-0.5 ${w === report.window ? "bg-neutral-900 text-white" : "text-neutral-600 hover:text-neutral-900"}`}
            >
              Last {WINDOW_LABEL[w]}
            </Link>
          ))}
        </nav>
      </div>

      <p className="text-[11px] text-neutral-500">
        Since {utcSeconds(report.since)} · budgets: each tool call {TOOL_CALL_BUDGET_MS} ms, a whole draft {DRAFT_BUDGET_MS} ms · percentiles exact to the
        millisecond up to {resolution.exactUpToMs} ms, above that at most {resolution.stepPercent}% high
      </p>

      {empty ? (
        <p className="rounded-lg border border-neutral-200 bg-white px-3 py-6 text-center text-xs text-neutral-500" data-testid="latency-empty">
          No tool calls were logged in the last {WINDOW_LABEL[report.window]}.
        </p>
      ) : (
        <>
          <LatencyTable report={report} />
          <SlowestCalls report={report} account={account} />
        </>
      )}
    </section>
  );
}

function Millis({ ms, row, capMs }: { ms: number; row: LatencyRow; capMs: number }) {
  const over = overBudget(ms, row);
  return (
    <td
      className={`px-3 py-2 text-right tabular-nums ${over ? "font-semibold text-red-700" : "text-neutral-800"}`}
      data-over={over ? "true" : undefined}
      title={over ? `Over the ${row.budgetMs} ms budget` : undefined}
    >
      {ms >= capMs ? "≥ " : ""}
      {duration(ms)}
      {over ? <span className="sr-only"> (over budget)</span> : null}
    </td>
  );
}

const th = "px-3 py-2 font-medium";

function LatencyTable({ report }: { report: LatencyReport }) {
  const rows: { label: string; row: LatencyRow; testId: string }[] = [
    ...report.tools.map((row) => ({ label: row.tool, row, testId: "latency-tool" })),
    ...(report.draft ? [{ label: "Whole draft", row: report.draft, testId: "latency-draft" }] : []),
  ];
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table data-testid="latency-table" className="w-full border-collapse text-left text-xs">
        <caption className="px-3 pt-2 text-left text-xs font-semibold text-neutral-700">Per tool</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className={th}>
              Tool
            </th>
            <th scope="col" className={`${th} text-right`}>
              Calls
            </th>
            <th scope="col" className={`${th} text-right`}>
              p50
            </th>
            <th scope="col" className={`${th} text-right`}>
              p95
            </th>
            <th scope="col" className={`${th} text-right`}>
              p99
            </th>
            <th scope="col" className={`${th} text-right`}>
              Budget
            </th>
            <th scope="col" className={`${th} text-right`}>
              Errors
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {rows.map(({ label, row, testId }) => (
            <tr key={row.tool} data-testid={testId} data-tool={row.tool} className={testId === "latency-draft" ? "bg-neutral-50 font-medium" : undefined}>
              <th scope="row" className="px-3 py-2 text-left font-medium text-neutral-900">
                {label}
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{row.calls.toLocaleString("en")}</td>
              <Millis ms={row.p50} row={row} capMs={report.resolution.capMs} />
              <Millis ms={row.p95} row={row} capMs={report.resolution.capMs} />
              <Millis ms={row.p99} row={row} capMs={report.resolution.capMs} />
              <td className="px-3 py-2 text-right tabular-nums text-neutral-500">{row.budgetMs} ms</td>
              <td className={`px-3 py-2 text-right tabular-nums ${row.errors ? "text-red-700" : "text-neutral-600"}`} title={`${row.errors} of ${row.calls}`}>
                {errorRate(row.errorRate)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SlowestCalls({ report, account }: { report: LatencyReport; account: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table data-testid="latency-slowest" className="w-full border-collapse text-left text-xs">
        <caption className="px-3 pt-2 text-left text-xs font-semibold text-neutral-700">Slowest tool calls</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className={th}>
              When
            </th>
            <th scope="col" className={th}>
              Task
            </th>
            <th scope="col" className={th}>
              Tool
            </th>
            <th scope="col" className={`${th} text-right`}>
              Duration
            </th>
            <th scope="col" className={th}>
              Error
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {report.slowest.length === 0 ? (
            <tr>
              <td colSpan={5} className="px-3 py-6 text-center text-neutral-500">
                No tool calls in this window (only whole drafts).
              </td>
            </tr>
          ) : (
            report.slowest.map((c) => (
              <tr key={c.id} data-testid="latency-slow-call">
                <td className="whitespace-nowrap px-3 py-2 tabular-nums text-neutral-600">{utcSeconds(c.at)}</td>
                <td className="px-3 py-2 font-mono text-[11px]">
                  {c.taskId ? (
                    <Link
                      to={`/accounts/${account}/queue?task=${encodeURIComponent(c.taskId)}`}
                      className="text-neutral-700 underline-offset-2 hover:underline"
                    >
                      {c.taskId}
                    </Link>
                  ) : (
                    <span className="text-neutral-400">—</span>
                  )}
                </td>
                <td className="px-3 py-2">{c.tool}</td>
                <td className={`px-3 py-2 text-right tabular-nums ${c.durationMs > TOOL_CALL_BUDGET_MS ? "font-semibold text-red-700" : "text-neutral-800"}`}>
                  {duration(c.durationMs)}
                </td>
                <td className="max-w-[24rem] truncate px-3 py-2 text-red-700" title={c.error ?? undefined}>
                  {c.outcome === "error" ? (c.error ?? "failed") : <span className="text-neutral-400">—</span>}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
      {report.slowestPartial ? (
        <p className="border-t border-neutral-100 px-3 py-2 text-[11px] text-neutral-500" data-testid="latency-slowest-partial">
          Only part of the slowest calls: older calls and whole drafts that were even slower fill the stretch of the log this list searches.
        </p>
      ) : null}
    </div>
  );
}
