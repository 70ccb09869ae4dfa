import type { ToolCallRecord } from "../../worker/domain/types";
import { duration, prettyJson } from "../lib/format";

const STATUS_STYLE: Record<ToolCallRecord["status"], string> = {
  running: "bg-amber-50 text-amber-700 ring-amber-200",
  done: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  error: "bg-red-50 text-red-700 ring-red-200",
  awaiting_approval: "bg-sky-50 text-sky-700 ring-sky-200",
  approved: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  denied: "bg-neutral-100 text-neutral-600 ring-neutral-200",
};

export function ToolCallList({ calls }: { calls: ToolCallRecord[] }) {
  if (calls.length === 0) return <p className="text-xs text-neutral-500">No tool calls yet.</p>;
  return (
    <ol className="space-y-2.5" aria-label="Tool calls">
      {calls.map((call, i) => (
        <li key={call.id || i} className="rounded-md border border-neutral-200" data-testid="tool-call" data-tool={call.tool}>
          <div className="flex items-center gap-2 border-b border-neutral-100 bg-neutral-50 px-2.5 py-1.5">
            <span className="text-[11px] tabular-nums text-neutral-400">{i + 1}</span>
            <code className="truncate font-mono text-xs font-semibold text-neutral-900">{call.tool}</code>
            <span className={`ml-auto rounded px-1.5 py-px text-[10px] font-medium ring-1 ring-inset ${STATUS_STYLE[call.status] ?? STATUS_STYLE.denied}`}>
              {call.status.replace("_", " ")}
            </span>
            <span className="text-[11px] tabular-nums text-neutral-500" title="Duration">
              {duration(call.durationMs)}
            </span>
          </div>
          <div className="grid gap-px bg-neutral-100">
            <JsonBlock label="Input" value={call.input} />
            <JsonBlock label="Output" value={call.output} />
          </div>
        </li>
      ))}
    </ol>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <div className="bg-white px-2.5 py-1.5">
      <div className="text-[10px] font-medium uppercase tracking-wide text-neutral-400">{label}</div>
      <pre className="mt-0.5 max-h-48 overflow-auto font-mono text-[11px] leading-4 break-all whitespace-pre-wrap text-neutral-800">{prettyJson(value)}</pre>
    </div>
  );
}
