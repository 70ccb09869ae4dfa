export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 text-[11px] font-medium ${connected ? "text-emerald-700" : "text-neutral-500"}`}
      data-testid="live-indicator"
      data-connected={connected ? "true" : "false"}
      title={connected ? "Receiving live updates" : "Not connected to live updates; showing the last loaded queue"}
    >
      <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${connected ? "bg-emerald-500" : "bg-neutral-300"}`} />
      {connected ? "Live" : "Connecting…"}
    </span>
  );
}
