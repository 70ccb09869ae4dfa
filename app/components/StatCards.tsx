import type { DailyFigure } from "../../worker/domain/types";

/** Today's totals plus the window's totals. */
export function StatCards({ figures }: { figures: DailyFigure[] }) {
  const today = figures[figures.length - 1] ?? { day: "", attempted: 0, completed: 0, corrected: 0 };
  const sum = figures.reduce(
    (acc, f) => ({ attempted: acc.attempted + f.attempted, completed: acc.completed + f.completed, corrected: acc.corrected + f.corrected }),
    { attempted: 0, completed: 0, corrected: 0 },
  );
  // Share of attempted tasks a person had to edit, reject or send back.
  const rate = sum.attempted > 0 ? `${Math.round((sum.corrected / sum.attempted) * 100)}%` : "—";

  return (
    <dl className="grid grid-cols-4 gap-3" data-testid="figures-today" data-day={today.day}>
      <Stat label="Attempted today" value={today.attempted} testId="today-attempted" sub={`${sum.attempted} in ${figures.length} days`} />
      <Stat label="Completed today" value={today.completed} testId="today-completed" sub={`${sum.completed} in ${figures.length} days`} />
      <Stat label="Corrected today" value={today.corrected} testId="today-corrected" sub={`${sum.corrected} in ${figures.length} days`} />
      <Stat label="Correction rate" value={rate} testId="correction-rate" sub="corrected / attempted, 14 days" />
    </dl>
  );
}

function Stat({ label, value, sub, testId }: { label: string; value: number | string; sub: string; testId: string }) {
  return (
    <div className="rounded-lg border border-neutral-200 bg-white px-4 py-3">
      <dt className="text-[11px] font-medium text-neutral-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-neutral-900" data-testid={testId}>
        {value}
      </dd>
      <dd className="mt-0.5 text-[11px] text-neutral-500">{sub}</dd>
    </div>
  );
}
