import type { ReactNode } from "react";
import { inputClass } from "../lib/connectors";
import { CopyButton } from "./CopyButton";

/** A secret value the server hands out once (a new API token, an invitation link): copy it now or lose it. */
export function ShownOnce({
  message,
  value,
  label,
  id,
  testIds,
  onHide,
}: {
  message: ReactNode;
  value: string;
  label: string;
  id: string;
  testIds: { box: string; value: string; copy: string };
  onHide: () => void;
}) {
  return (
    <div className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-2.5 py-2 text-xs text-amber-900" data-testid={testIds.box}>
      <p>{message}</p>
      <div className="mt-1.5 flex items-center gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          aria-label={label}
          data-testid={testIds.value}
          className={`${inputClass} font-mono text-[12px]`}
        />
        <CopyButton value={value} fallbackInputId={id} testId={testIds.copy} />
        <button type="button" className="h-8 px-1.5 text-xs text-amber-800 hover:text-amber-950" onClick={onHide}>
          Hide
        </button>
      </div>
    </div>
  );
}
