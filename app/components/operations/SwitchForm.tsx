import { type FormEvent, type ReactNode, useState } from "react";
import type { OperationsIntent } from "../../lib/operations";
import { ConfirmDialog } from "./ConfirmDialog";
import type { Fetcher } from "./section";

/**
 * An on/off switch posting `name=true|false`. With `confirm`, switching on asks
 * first in a modal dialog. Shows the pending value while it is saved.
 */
export function SwitchForm({
  fetcher,
  actionUrl,
  intent,
  name,
  value,
  label,
  testId,
  disabled = false,
  danger = false,
  confirm,
}: {
  fetcher: Fetcher;
  actionUrl: string;
  intent: OperationsIntent;
  name: string;
  value: boolean;
  label: string;
  testId: string;
  disabled?: boolean;
  danger?: boolean;
  confirm?: { title: string; body: ReactNode; confirmLabel: string };
}) {
  const [asking, setAsking] = useState(false);
  const busy = fetcher.state !== "idle";
  const pending = fetcher.formData?.get(name);
  const on = typeof pending === "string" ? pending === "true" : value;
  const next = String(!on);
  const onTrack = danger ? "bg-red-600" : "bg-sky-600";

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    if (confirm && !on) {
      e.preventDefault();
      setAsking(true);
    }
  };

  return (
    <>
      <fetcher.Form method="post" action={actionUrl} onSubmit={onSubmit} className="flex items-center gap-3">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name={name} value={next} />
        <button
          type="submit"
          role="switch"
          aria-checked={on}
          aria-label={label}
          disabled={busy || disabled}
          data-testid={testId}
          data-state={on ? "on" : "off"}
          className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-neutral-400 focus-visible:ring-offset-1 disabled:opacity-60 ${
            on ? onTrack : "bg-neutral-300"
          }`}
        >
          <span
            aria-hidden="true"
            className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${on ? "translate-x-4" : "translate-x-0.5"}`}
          />
        </button>
        <span className="text-[13px] font-medium text-neutral-900">{label}</span>
        <span className={`text-xs font-semibold ${on ? (danger ? "text-red-700" : "text-sky-700") : "text-neutral-500"}`} data-testid={`${testId}-state`}>
          {on ? "On" : "Off"}
        </span>
      </fetcher.Form>
      {confirm ? (
        <ConfirmDialog
          open={asking}
          title={confirm.title}
          confirmLabel={confirm.confirmLabel}
          testId={`${testId}-confirm`}
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            fetcher.submit({ intent, [name]: "true" }, { method: "post", action: actionUrl });
          }}
        >
          {confirm.body}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
