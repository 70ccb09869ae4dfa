import type { DeliveryRow } from "../lib/connectors";
import { utcSeconds } from "../lib/format";

const base = "inline-flex items-center rounded px-1.5 py-px text-[11px] font-medium leading-4 whitespace-nowrap ring-1 ring-inset";
const OUTCOME_STYLE: Record<DeliveryRow["outcome"], string> = {
  accepted: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  duplicate: "bg-sky-50 text-sky-700 ring-sky-200",
  ignored: "bg-neutral-100 text-neutral-600 ring-neutral-200",
  rejected: "bg-red-50 text-red-700 ring-red-200",
};

function OutcomeBadge({ outcome }: { outcome: DeliveryRow["outcome"] }) {
  return (
    <span className={`${base} ${OUTCOME_STYLE[outcome] ?? OUTCOME_STYLE.ignored}`} data-testid="delivery-outcome">
      {outcome}
    </span>
  );
}

/** The newest webhook deliveries of one source, newest first. */
export function DeliveriesTable({ source, deliveries }: { source: string; deliveries: DeliveryRow[] }) {
  return (
    <div className="overflow-x-auto rounded-md border border-neutral-200">
      <table data-testid={`connector-deliveries-${source}`} className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">Last deliveries from {source}</caption>
        <thead className="border-b border-neutral-200 bg-neutral-50 text-[11px] uppercase tracking-wide text-neutral-500">
          <tr>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Time (UTC)
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Outcome
            </th>
            <th scope="col" className="px-3 py-1.5 text-right font-medium">
              HTTP
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Reason
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Delivery id
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Task id
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {deliveries.length === 0 ? (
            <tr>
              <td colSpan={6} className="px-3 py-3 text-center text-neutral-500">
                No deliveries yet.
              </td>
            </tr>
          ) : (
            deliveries.map((d) => (
              <tr key={d.id} data-delivery-id={d.deliveryId ?? undefined} className="hover:bg-neutral-50">
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums text-neutral-600" title={d.receivedAt}>
                  {utcSeconds(d.receivedAt).replace(" UTC", "")}
                </td>
                <td className="px-3 py-1.5">
                  <OutcomeBadge outcome={d.outcome} />
                </td>
                <td className="px-3 py-1.5 text-right font-mono tabular-nums">{d.status}</td>
                <td className="max-w-[22rem] truncate px-3 py-1.5 text-neutral-700" title={d.reason ?? undefined}>
                  {d.reason ?? <span className="text-neutral-400">—</span>}
                </td>
                <td className="max-w-[12rem] truncate px-3 py-1.5 font-mono text-[11px] text-neutral-600" title={d.deliveryId ?? undefined}>
                  {d.deliveryId ?? <span className="text-neutral-400">—</span>}
                </td>
                <td className="max-w-[12rem] truncate px-3 py-1.5 font-mono text-[11px] text-neutral-600" title={d.taskId ?? undefined}>
                  {d.taskId ?? <span className="text-neutral-400">—</span>}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
