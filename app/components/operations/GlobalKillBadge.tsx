/** The platform-wide kill switch, read-only here: operators control it. */
export function GlobalKillBadge({ on }: { on: boolean }) {
  return (
    <div
      data-testid="ops-global-kill"
      data-state={on ? "on" : "off"}
      className={`rounded-md border px-3 py-2 text-xs ${on ? "border-red-200 bg-red-50 text-red-900" : "border-neutral-200 bg-neutral-50 text-neutral-700"}`}
    >
      <p className="flex items-center gap-2 font-medium">
        <span aria-hidden="true" className={`h-2 w-2 rounded-full ${on ? "bg-red-500" : "bg-neutral-300"}`} />
        Platform kill switch: {on ? "ON" : "off"}
        <span className="rounded bg-white/70 px-1.5 py-px text-[10px] font-medium uppercase tracking-wide text-neutral-500 ring-1 ring-inset ring-neutral-200">
          read-only
        </span>
      </p>
      <p className="mt-1 leading-4">
        {on ? "No account triages until it is lifted. " : ""}
        Operators control it, not account admins (see <code className="font-mono">docs/runbook.md</code>).
      </p>
    </div>
  );
}
