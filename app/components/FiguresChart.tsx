import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyFigure } from "../../worker/domain/types";
import { shortDay } from "../lib/format";
import { useMounted } from "../lib/hooks";

const SERIES = [
  { key: "attempted", name: "Attempted", color: "#a3a3a3" },
  { key: "completed", name: "Completed", color: "#171717" },
  { key: "corrected", name: "Corrected", color: "#f59e0b" },
] as const;

/** Attempted / completed / corrected per day. Rendered in the browser only (ResponsiveContainer measures the DOM). */
export function FiguresChart({ figures }: { figures: DailyFigure[] }) {
  const mounted = useMounted();
  return (
    <figure data-testid="figures-chart" className="h-64 w-full" aria-label="Tasks per day over the last 14 days">
      {mounted ? (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={figures} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barGap={2} barCategoryGap="20%">
            <CartesianGrid vertical={false} stroke="#f0f0f0" />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 11, fill: "#737373" }} tickLine={false} axisLine={{ stroke: "#e5e5e5" }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#737373" }} tickLine={false} axisLine={false} width={40} />
            <Tooltip cursor={{ fill: "#f5f5f5" }} contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: "#e5e5e5" }} labelStyle={{ fontWeight: 600 }} />
            <Legend iconType="square" iconSize={8} wrapperStyle={{ fontSize: 12 }} />
            {SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color} radius={[2, 2, 0, 0]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      ) : (
        <div className="flex h-full items-center justify-center text-xs text-neutral-400">Loading chart…</div>
      )}
      <figcaption className="sr-only">
        {figures.map((f) => `${f.day}: ${f.attempted} attempted, ${f.completed} completed, ${f.corrected} corrected`).join("; ")}
      </figcaption>
    </figure>
  );
}
