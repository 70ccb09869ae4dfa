import type { ReactNode } from "react";
import { inputClass } from "../lib/connectors";
import { CopyButton } from "./CopyButton";

/**
 * A secret shown once (a new API token, an invitation link, a signing secret
 * generated in the browser): copy it now or lose it. The one reveal-once panel
 * of the dashboard.
 */
export function ShownOnce({
  message,
  value,
  label,
  id,
  testIds,
  onHide,
  spaced = true,
}: {
  message: ReactNode;
  value: string;
  label: string;
  id: string;
  testIds: { box: string; value: string; copy: string };
  onHide: () => void;
  /** A gap above the panel (mt-3); off where the parent already spaces its children. */
  spaced?: boolean;
}) {
  return (
    <div className={`${spaced ? "mt-3 " : ""}rounded-md border border-amber-200 bg-amber-50 px-2.5 py-2 text-xs text-amber-900`} data-testid={testIds.box}>
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
