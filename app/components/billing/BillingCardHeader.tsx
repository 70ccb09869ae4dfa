import { useFetcher } from "react-router";
import type { BillingSourceKind } from "../../../worker/domain/billing";
import { utcStamp } from "../../lib/format";
import { ActionStatus } from "../ActionStatus";
import { answerFor, type BillingActionResponse } from "./billing";

/** A billing source's name, last change and on/off switch (optimistic while the change is saved). */
export function BillingCardHeader({
  kind,
  name,
  enabled,
  ready,
  notReady,
  updatedAt,
  updatedBy,
  actionUrl,
}: {
  kind: BillingSourceKind;
  name: string;
  enabled: boolean;
  /** Whether it can be switched on (its secrets are saved). */
  ready: boolean;
  notReady: string;
  updatedAt: string | null;
  updatedBy: string | null;
  actionUrl: string;
}) {
  const fetcher = useFetcher<BillingActionResponse>();
  const busy = fetcher.state !== "idle";
  const pending = fetcher.formData?.get("enabled");
  const on = typeof pending === "string" ? pending === "true" : enabled;
  const response = answerFor(fetcher.data, "billingToggle", kind);
  const headingId = `billing-${kind}-heading`;

  return (
    <div className="border-b border-neutral-100 px-4 py-2.5">
      <div className="flex flex-wrap items-center gap-3">
        <h3 id={headingId} className="text-sm font-semibold text-neutral-900">
          {name}
        </h3>
        <div className="ml-auto flex items-center gap-3">
          {updatedAt ? (
            <span className="hidden text-[11px] text-neutral-500 sm:inline">
              changed {utcStamp(updatedAt)}
              {updatedBy ? ` by ${updatedBy}` : ""}
            </span>
          ) : null}
          {!enabled && !ready ? <span className="text-[11px] text-neutral-500">{notReady}</span> : null}
          <fetcher.Form method="post" action={actionUrl} className="flex items-center gap-2">
            <input type="hidden" name="intent" value="billingToggle" />
            <input type="hidden" name="kind" value={kind} />
            <input type="hidden" name="enabled" value={String(!on)} />
            <span className={`text-xs font-medium ${on ? "text-emerald-700" : "text-neutral-500"}`} aria-hidden="true">
              {on ? "On" : "Off"}
            </span>
            <button
              type="submit"
              role="switch"
              aria-checked={on}
              aria-label={`Take entitlements from ${name}`}
              disabled={busy}
              data-testid={`billing-toggle-${kind}`}
              className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-neutral-400 focus-visible:ring-offset-1 disabled:opacity-60 ${
                on ? "bg-emerald-600" : "bg-neutral-300"
              }`}
            >
              <span
                aria-hidden="true"
                className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${on ? "translate-x-4" : "translate-x-0.5"}`}
              />
            </button>
          </fetcher.Form>
        </div>
      </div>
      {response && !response.ok ? (
        <div className="mt-2">
          <ActionStatus response={response} busy={busy} testId={`billing-toggle-result-${kind}`} />
        </div>
      ) : null}
    </div>
  );
}

/** A saved secret as the page shows it: set with its fingerprint, or not set. */
export function SecretStatus({ label, fingerprint, testId }: { label: string; fingerprint: string | null | undefined; testId: string }) {
  return (
    <p className="text-xs" data-testid={testId}>
      <span className="text-neutral-600">{label}: </span>
      {fingerprint ? (
        <span className="text-neutral-800">
          set · fp <span className="font-mono">{fingerprint}</span>
        </span>
      ) : (
        <span className="text-amber-700">not set</span>
      )}
    </p>
  );
}
