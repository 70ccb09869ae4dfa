import { inputClass, primaryButton } from "../../lib/connectors";
import { LIMIT_FIELDS, type WaitingCounts } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";
import { Card } from "./Card";
import { errorsOf, type SectionProps } from "./section";
import { hint } from "./styles";

/** Rollout percentage, ticket and decision rates and the in-flight cap, saved together. */
export function LimitsSection({ state, waiting, fetcher, actionUrl, frozen, status }: SectionProps & { waiting: WaitingCounts }) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  return (
    <Card id="ops-limits" title="Rollout and limits">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Rollout and limits" className="space-y-3">
        <input type="hidden" name="intent" value="limits" />
        <fieldset disabled={frozen || busy} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {LIMIT_FIELDS.map((f) => {
            const id = `ops-${f.key}`;
            const message = error(f.key);
            return (
              <div key={f.key} className="min-w-0">
                <label htmlFor={id} className="block text-[11px] font-medium text-neutral-600">
                  {f.label}
                </label>
                <input
                  id={id}
                  name={f.key}
                  type="number"
                  inputMode="numeric"
                  step={1}
                  min={f.min}
                  max={f.max}
                  defaultValue={state[f.key]}
                  aria-invalid={message ? true : undefined}
                  aria-describedby={message ? `${id}-error` : `${id}-hint`}
                  data-testid={f.testId}
                  className={`${inputClass} mt-0.5 tabular-nums`}
                />
                <FieldMessage id={`${id}-error`} message={message} />
                <p id={`${id}-hint`} className={`${hint} mt-0.5`}>
                  {f.unit} · {f.min}–{f.max.toLocaleString("en-US")}
                </p>
              </div>
            );
          })}
        </fieldset>
        <p className={hint}>
          Tickets outside the rollout are stored but not triaged ({waiting.skippedToday} today). Over the ticket rate, webhooks get 429 and the help desk
          retries. Over the in-flight cap (tickets drafting at once), new tickets queue and start as drafts finish.
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid="ops-limits-save">
            {busy ? "Saving…" : "Save limits"}
          </button>
          {status}
        </div>
      </fetcher.Form>
    </Card>
  );
}
