import { Link } from "react-router";
import type { SampleSummary } from "../../../worker/http/dashboard";
import { utcStamp } from "../../lib/format";

const th = "px-3 py-2 font-medium";

const DECISION_LABELS: Record<string, string> = {
  approve: "accepted as drafted",
  edit: "edited",
  reject: "rejected",
  revise: "sent back",
  auto_approve: "sent automatically",
};

/** What the reviewer did with the sampled round, in a few words. */
export function decisionLabel(d: SampleSummary["decision"]): string {
  if (!d) return "no decision yet";
  return DECISION_LABELS[d.action] ?? d.action;
}

/** A page of samples: when, task, model, language and the reviewer's decision; each opens its detail. */
export function SamplesTable({ samples, hrefOf }: { samples: SampleSummary[]; hrefOf: (id: string) => string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
      <table data-testid="samples-table" className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">Samples of drafting rounds</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className={th}>
              When
            </th>
            <th scope="col" className={th}>
              Task
            </th>
            <th scope="col" className={`${th} text-right`}>
              Round
            </th>
            <th scope="col" className={th}>
              Model
            </th>
            <th scope="col" className={th}>
              Language
            </th>
            <th scope="col" className={th}>
              Decision
            </th>
            <th scope="col" className={th}>
              Redacted
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {samples.length === 0 ? (
            <tr>
              <td colSpan={7} className="px-3 py-6 text-center text-neutral-500">
                No samples yet. Set the share of drafting rounds to keep on the Operations page.
              </td>
            </tr>
          ) : (
            samples.map((s) => (
              <tr key={s.id} data-sample-id={s.id} className="hover:bg-neutral-50">
                <td className="whitespace-nowrap px-3 py-2">
                  <Link to={hrefOf(s.id)} className="font-medium text-neutral-900 underline-offset-2 hover:underline" data-testid="sample-link">
                    <time dateTime={s.createdAt}>{utcStamp(s.createdAt)}</time>
                  </Link>
                </td>
                <td className="px-3 py-2 font-mono text-[11px] text-neutral-600">{s.taskId}</td>
                <td className="px-3 py-2 text-right tabular-nums">{s.round}</td>
                <td className="px-3 py-2 font-mono text-[11px]">{s.model}</td>
                <td className="px-3 py-2">{s.language ?? "—"}</td>
                <td className="px-3 py-2" data-testid="sample-decision" data-action={s.decision?.action ?? "none"}>
                  {decisionLabel(s.decision)}
                </td>
                <td className="px-3 py-2 text-neutral-600">{redactionSummary(s.redactions)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** "2 email, 1 phone", or "none". */
export function redactionSummary(counts: SampleSummary["redactions"]): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? parts.join(", ") : "none";
}
