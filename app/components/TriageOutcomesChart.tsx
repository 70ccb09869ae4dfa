import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TriageInsightsRow } from "../../worker/domain/insights";
import { useMounted } from "../lib/hooks";

/** What people did with the proposals, stacked; "sent back" beside it (a sent-back task ends in one of the others). */
const SERIES = [
  { key: "approved", name: "Approved as drafted", color: "#171717", stack: "outcome" },
  { key: "edited", name: "Edited", color: "#f59e0b", stack: "outcome" },
  { key: "rejected", name: "Rejected", color: "#dc2626", stack: "outcome" },
  { key: "autoSent", name: "Auto-sent", color: "#a3a3a3", stack: "outcome" },
  { key: "sentBack", name: "Sent back", color: "#0ea5e9", stack: "back" },
] as const;

/** Outcomes per category (or language). Rendered in the browser only, like FiguresChart (ResponsiveContainer measures the DOM). */
export function TriageOutcomesChart({ rows, label, name }: { rows: TriageInsightsRow[]; label: string; name: (key: string | null) => string }) {
  const mounted = useMounted();
  const data = rows.map((r) => ({ ...r, label: name(r.key) }));
  return (
    <figure data-testid="triage-outcomes-chart" className="h-64 w-full" aria-label={label}>
      {mounted ? (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barGap={2} barCategoryGap="20%">
            <CartesianGrid vertical={false} stroke="#f0f0f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#737373" }} tickLine={false} axisLine={{ stroke: "#e5e5e5" }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#737373" }} tickLine={false} axisLine={false} width={40} />
            <Tooltip cursor={{ fill: "#f5f5f5" }} contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#e5e5e5" }} labelStyle={{ fontWeight: 600 }} />
            <Legend iconType="square" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
            {SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} stackId={s.stack} maxBarSize={48} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      ) : (
        <div className="flex h-full items-center justify-center text-xs text-neutral-400">Loading chart…</div>
      )}
      <figcaption className="sr-only">
        {data.length
          ? data.map((r) => `${r.label}: ${SERIES.map((s) => `${r[s.key]} ${s.name.toLowerCase()}`).join(", ")}`).join("; ")
          : "No triaged tasks in this window."}
      </figcaption>
    </figure>
  );
}
