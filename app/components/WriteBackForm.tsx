import { useFetcher } from "react-router";
import { type ConnectorActionResponse, type ConnectorData, secondaryButton } from "../lib/connectors";
import { ActionStatus } from "./ActionStatus";

interface Props {
  connector: ConnectorData;
  actionUrl: string;
}

const LABELS: Record<string, { label: string; hint: string }> = {
  tags: { label: "Tags", hint: "triage-<category>, lang-<code>, urgency-, sentiment-, intent-<label>" },
  priority: { label: "Priority", hint: "the priority triage read" },
};

/**
 * Whether the triage reading is written back to the ticket in the help desk
 * (tags, priority), switchable per connector. Off by default; the switch
 * saves the fields ticked with it.
 */
export function WriteBackForm({ connector, actionUrl }: Props) {
  const { source, name, writeBackFields } = connector;
  const fetcher = useFetcher<ConnectorActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = fetcher.data?.intent === "writeBack" ? fetcher.data : undefined;
  // What the server holds now: the last answer's setting, else the loader's.
  const saved = response?.ok && response.writeBack ? response.writeBack : connector.writeBack;
  const pending = fetcher.formData?.get("enabled");
  const enabled = typeof pending === "string" ? pending === "true" : saved.enabled;
  // Nothing chosen yet: offer everything the help desk takes.
  const checked = saved.fields.length ? saved.fields : writeBackFields;
  const ids = `connector-${source}-write-back`;

  if (writeBackFields.length === 0) return null;
  const missing = (["tags", "priority"] as const).filter((f) => !writeBackFields.includes(f));

  return (
    <fetcher.Form
      method="post"
      action={actionUrl}
      className="space-y-1.5"
      aria-label={`${name} triage write-back`}
      data-testid={`connector-write-back-${source}`}
    >
      <input type="hidden" name="intent" value="writeBack" />
      <input type="hidden" name="source" value={source} />
      <div className="flex items-center gap-2">
        <p id={`${ids}-label`} className="text-[11px] font-medium text-neutral-600">
          Write triage back to {name}
        </p>
        <span className={`ml-auto text-xs font-medium ${enabled ? "text-emerald-700" : "text-neutral-500"}`} aria-hidden="true">
          {enabled ? "On" : "Off"}
        </span>
        <button
          type="submit"
          name="enabled"
          value={String(!enabled)}
          role="switch"
          aria-checked={enabled}
          aria-labelledby={`${ids}-label`}
          disabled={busy}
          data-testid={`connector-write-back-toggle-${source}`}
          className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-neutral-400 focus-visible:ring-offset-1 disabled:opacity-60 ${
            enabled ? "bg-emerald-600" : "bg-neutral-300"
          }`}
        >
          <span
            aria-hidden="true"
            className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${enabled ? "translate-x-4" : "translate-x-0.5"}`}
          />
        </button>
      </div>
      <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1" disabled={busy}>
        <legend className="sr-only">Fields to write back</legend>
        {writeBackFields.map((f) => (
          <label key={f} className="flex items-center gap-1.5 text-xs text-neutral-700" title={LABELS[f]?.hint}>
            <input
              type="checkbox"
              name="field"
              value={f}
              defaultChecked={checked.includes(f)}
              data-testid={`connector-write-back-field-${source}-${f}`}
              className="h-3.5 w-3.5"
            />
            {LABELS[f]?.label ?? f}
          </label>
        ))}
        {enabled ? (
          <button
            type="submit"
            name="enabled"
            value="true"
            className={`${secondaryButton} h-6 px-2 text-[11px]`}
            data-testid={`connector-write-back-save-${source}`}
          >
            Save fields
          </button>
        ) : null}
      </fieldset>
      <p className="text-[11px] text-neutral-500">
        After the first draft, the ticket gets the triage reading once{missing.length ? ` (${name} has no ${missing.join(" or ")} field)` : ""}. Needs the
        outbound settings above.
      </p>
      <ActionStatus response={response} busy={busy} shownFields={[]} testId={`connector-write-back-result-${source}`} />
    </fetcher.Form>
  );
}
