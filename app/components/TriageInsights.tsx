import { Form, Link, useSearchParams } from "react-router";
import { CATEGORIES, LANGUAGES } from "../../worker/domain/enums";
import { INSIGHT_WINDOWS, type TriageFigures, type TriageInsights, type TriageInsightsRow } from "../../worker/domain/insights";
import { languageName } from "../lib/format";
import { TriageOutcomesChart } from "./TriageOutcomesChart";

const select =
  "h-7 rounded border border-neutral-300 bg-white px-1.5 text-xs text-neutral-800 outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200";

const share = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : "—");
const ratio = (r: number | null) => (r === null ? "—" : `${Math.round(r * 100)}%`);

/** "42 s", "18 min", "3 h 5 min", "2 d 4 h". */
function span(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}

const categoryName = (key: string | null) => key ?? "not read";
const languageLabel = (key: string | null) => (key ? languageName(key) : "not read");

/**
 * Is triage helping? Per category and per language: what people did with the
 * proposals, how much they changed the drafts, how fast the reply went out.
 * The filters are a GET form, so the URL holds them (reload, share).
 */
export function TriageInsightsSection({ insights }: { insights: TriageInsights }) {
  const { filter, totals, byCategory, byLanguage, seen } = insights;
  const categories = [...new Set([...CATEGORIES, ...seen.categories, ...(filter.category ? [filter.category] : [])])];
  const languages = [...new Set([...LANGUAGES, ...seen.languages])];
  const filtered = !!(filter.category || filter.language);
  // The latency section's window shares the URL: submitting these filters keeps it.
  const latency = useSearchParams()[0].get("latency");
  return (
    <section aria-labelledby="triage-heading" className="space-y-3" data-testid="triage-insights">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="triage-heading" className="text-xs font-semibold text-neutral-700">
          Is triage helping?
        </h2>
        <Form
          method="get"
          role="search"
          aria-label="Filter the triage insights"
          preventScrollReset
          className="flex flex-wrap items-center gap-1.5"
          data-testid="triage-filters"
          onChange={(e) => e.currentTarget.requestSubmit()}
        >
          {latency ? <input type="hidden" name="latency" value={latency} /> : null}
          <label>
            <span className="sr-only">Window</span>
            <select name="days" defaultValue={String(insights.days)} className={select} data-testid="triage-filter-days">
              {(INSIGHT_WINDOWS as readonly number[]).includes(insights.days) ? null : <option value={insights.days}>Last {insights.days} days</option>}
              {INSIGHT_WINDOWS.map((d) => (
                <option key={d} value={d}>
                  Last {d} days
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="sr-only">Category</span>
            <select name="category" defaultValue={filter.category ?? ""} className={select} data-testid="triage-filter-category">
              <option value="">Category: any</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="sr-only">Language</span>
            <select name="language" defaultValue={filter.language ?? ""} className={select} data-testid="triage-filter-language">
              <option value="">Language: any</option>
              {languages.map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </label>
          <noscript>
            <button type="submit" className={select}>
              Apply
            </button>
          </noscript>
          {filtered ? (
            <Link
              to={{ search: insights.days === 30 ? "" : `?days=${insights.days}` }}
              preventScrollReset
              className="text-[11px] text-neutral-500 underline-offset-2 hover:text-neutral-900 hover:underline"
              data-testid="triage-filters-clear"
            >
              Clear
            </Link>
          ) : null}
        </Form>
      </div>

      <p className="text-[11px] text-neutral-500" data-testid="triage-totals">
        Since {insights.since}
        {filter.category ? ` · ${filter.category}` : ""}
        {filter.language ? ` · ${languageName(filter.language)}` : ""}: <span data-testid="triage-total-tasks">{totals.tasks}</span>{" "}
        {totals.tasks === 1 ? "task" : "tasks"} · {share(totals.approved, decided(totals))} approved as drafted · {share(totals.edited, decided(totals))} edited
        · median edit {ratio(totals.editRatio.median)} · median first response {span(totals.firstResponse.medianSeconds)} ·{" "}
        {share(totals.sla.met, totals.sla.measured)} within SLA
      </p>

      <div className="rounded-lg border border-neutral-200 bg-white p-4">
        <h3 className="mb-2 text-xs font-semibold text-neutral-700">Outcomes per category</h3>
        <TriageOutcomesChart rows={byCategory} label={`Triage outcomes per category, last ${insights.days} days`} name={categoryName} />
      </div>

      <FiguresTable caption="Per category" testId="triage-by-category" rows={byCategory} name={categoryName} />
      <FiguresTable caption="Per language" testId="triage-by-language" rows={byLanguage} name={languageLabel} />
    </section>
  );
}

/** Tasks a person (or the auto-send policy) finished: the base of the shares. */
const decided = (f: TriageFigures) => f.approved + f.edited + f.rejected + f.autoSent;

const COLUMNS: { label: string; title: string; cell: (r: TriageInsightsRow) => string }[] = [
  { label: "Tasks", title: "Tasks triaged in the window", cell: (r) => String(r.tasks) },
  { label: "Approved", title: "Sent as drafted", cell: (r) => String(r.approved) },
  { label: "Edited", title: "Sent after a person edited the draft", cell: (r) => String(r.edited) },
  { label: "Rejected", title: "Rejected: nothing was sent", cell: (r) => String(r.rejected) },
  { label: "Sent back", title: "Sent back for a new draft at least once", cell: (r) => String(r.sentBack) },
  { label: "Auto-sent", title: "Sent without review under the auto-send policy", cell: (r) => String(r.autoSent) },
  {
    label: "Edit size",
    title: "How much people changed the drafts they edited: median (mean) normalised edit distance",
    cell: (r) => (r.editRatio.median === null ? "—" : `${ratio(r.editRatio.median)} (${ratio(r.editRatio.mean)})`),
  },
  { label: "First response", title: "Median time from the ticket's arrival to the reply going out", cell: (r) => span(r.firstResponse.medianSeconds) },
  { label: "Within SLA", title: "Closed by the first-response deadline", cell: (r) => share(r.sla.met, r.sla.measured) },
];

function FiguresTable({ caption, testId, rows, name }: { caption: string; testId: string; rows: TriageInsightsRow[]; name: (key: string | null) => string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table data-testid={testId} className="w-full border-collapse text-left text-xs">
        <caption className="px-3 pt-2 text-left text-xs font-semibold text-neutral-700">{caption}</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {caption === "Per language" ? "Language" : "Category"}
            </th>
            {COLUMNS.map((c) => (
              <th key={c.label} scope="col" title={c.title} className="px-3 py-2 text-right font-medium">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length + 1} className="px-3 py-6 text-center text-neutral-500">
                No triaged tasks in this window.
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.key ?? ""} data-key={r.key ?? ""} className="hover:bg-neutral-50">
                <th scope="row" className="px-3 py-2 font-medium text-neutral-900">
                  {name(r.key)}
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.label} className="px-3 py-2 text-right tabular-nums text-neutral-700" data-column={c.label}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
