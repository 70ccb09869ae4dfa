import { inputClass, primaryButton } from "../../lib/connectors";
import { SAMPLE_FIELDS } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";
import { Card } from "./Card";
import { errorsOf, type SectionProps } from "./section";
import { hint } from "./styles";

/** The field paths the form shows beside its inputs. */
export const samplesFieldPaths = SAMPLE_FIELDS.map((f) => f.path);

/**
 * Samples for quality review: which share of drafting rounds keeps the model's
 * input and output (customer data redacted), and for how many days. Leads read
 * them on the Samples page.
 */
export function SamplesSection({ state, fetcher, actionUrl, frozen, status }: SectionProps) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  return (
    <Card id="ops-samples" title="Samples for quality review">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Samples for quality review" className="space-y-3">
        <input type="hidden" name="intent" value="samples" />
        <fieldset disabled={frozen || busy} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {SAMPLE_FIELDS.map((f) => {
            const id = `ops-samples-${f.key}`;
            const message = error(f.path);
            return (
              <div key={f.key} className="min-w-0">
                <label htmlFor={id} className="block text-[11px] font-medium text-neutral-600">
                  {f.label}
                </label>
                <input
                  id={id}
                  name={f.path}
                  type="number"
                  inputMode="decimal"
                  step={f.step}
                  min={f.min}
                  max={f.max}
                  defaultValue={state.policy.samples[f.key]}
                  aria-invalid={message ? true : undefined}
                  aria-describedby={message ? `${id}-error` : `${id}-hint`}
                  data-testid={f.testId}
                  className={`${inputClass} mt-0.5 tabular-nums`}
                />
                <FieldMessage id={`${id}-error`} message={message} />
                <p id={`${id}-hint`} className={`${hint} mt-0.5`}>
                  {f.unit} · {f.min}–{f.max}
                </p>
              </div>
            );
          })}
        </fieldset>
        <p className={hint}>
          A kept sample holds what the model read (the ticket included) and what it proposed, with e-mail addresses, phone numbers, card numbers, IBANs and
          postal addresses replaced by markers before it is stored. Leads read and export them on the Samples page; they are deleted when they expire.
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid="ops-samples-save">
            {busy ? "Saving…" : "Save samples"}
          </button>
          {status}
        </div>
      </fetcher.Form>
    </Card>
  );
}
