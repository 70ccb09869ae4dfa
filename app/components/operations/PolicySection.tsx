import { inputClass, primaryButton } from "../../lib/connectors";
import { DISABLEABLE_TOOL_IDS, MIN_CONFIDENCE, POLICY_PRIORITIES, POLICY_TIERS, TOOL_LABELS } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";
import { Card } from "./Card";
import { MinutesInput } from "./MinutesInput";
import { PolicySla } from "./PolicySla";
import { PolicyTiers } from "./PolicyTiers";
import { errorsOf, type SectionProps } from "./section";
import { checkboxClass, hint, subheading } from "./styles";

/** The field paths the policy form shows beside its inputs (its answer does not repeat them). */
export const policyFieldPaths = [
  ...POLICY_TIERS.map((t) => `policy.tiers.${t}.handoffQueue`),
  ...POLICY_TIERS.flatMap((t) => POLICY_PRIORITIES.map((p) => `policy.sla.${t}.${p}`)),
  "policy.autoSend.minConfidence",
  "policy.nearBreachMinutes",
  "policy.disabledTools",
];

/** The triage policy: tiers, SLA targets, auto-send, near breach and disabled tools, saved together. */
export function PolicySection({ state, fetcher, actionUrl, frozen, status }: SectionProps) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  const { policy } = state;

  return (
    <Card id="ops-policy" title="Triage policy">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Triage policy" className="space-y-5">
        <input type="hidden" name="intent" value="policy" />
        <fieldset disabled={frozen || busy} className="space-y-5">
          <div className="grid gap-5 xl:grid-cols-2">
            <PolicyTiers policy={policy} error={error} />
            <PolicySla policy={policy} error={error} />
          </div>

          <div className="grid gap-5 md:grid-cols-3">
            <div className="min-w-0 space-y-2">
              <h3 className={subheading}>Auto-send</h3>
              <label className="flex items-start gap-2 text-[13px] text-neutral-800">
                <input
                  type="checkbox"
                  name="policy.autoSend.enabled"
                  value="true"
                  defaultChecked={policy.autoSend.enabled}
                  data-testid="ops-auto-send"
                  className={`${checkboxClass} mt-1`}
                />
                <span>Send risk-free answers that cite the team's articles without review</span>
              </label>
              <div>
                <label htmlFor="ops-min-confidence" className="block text-[11px] font-medium text-neutral-600">
                  Minimum confidence
                </label>
                <input
                  id="ops-min-confidence"
                  name="policy.autoSend.minConfidence"
                  type="number"
                  inputMode="decimal"
                  step={0.01}
                  min={MIN_CONFIDENCE.min}
                  max={MIN_CONFIDENCE.max}
                  defaultValue={policy.autoSend.minConfidence}
                  aria-invalid={error("policy.autoSend.minConfidence") ? true : undefined}
                  aria-describedby={error("policy.autoSend.minConfidence") ? "ops-min-confidence-error" : undefined}
                  data-testid="ops-min-confidence"
                  className={`${inputClass} mt-0.5 max-w-[8rem] tabular-nums`}
                />
                <FieldMessage id="ops-min-confidence-error" message={error("policy.autoSend.minConfidence")} />
              </div>
              <p className={hint}>
                {MIN_CONFIDENCE.min} to {MIN_CONFIDENCE.max}. Only a first-round draft sent unchanged, with no risky clause, on a tier without "always human
                review".
              </p>
            </div>

            <div className="min-w-0 space-y-2">
              <h3 className={subheading}>Near breach</h3>
              <div>
                <label htmlFor="ops-near-breach" className="block text-[11px] font-medium text-neutral-600">
                  Minutes before the target
                </label>
                <MinutesInput
                  id="ops-near-breach"
                  name="policy.nearBreachMinutes"
                  label=""
                  defaultValue={policy.nearBreachMinutes}
                  message={error("policy.nearBreachMinutes")}
                />
              </div>
              <p className={hint}>Proposals due within this window are marked near breach in the review queue.</p>
            </div>

            <div className="min-w-0 space-y-2" data-testid="ops-disabled-tools">
              <h3 className={subheading}>Decommission a tool</h3>
              <ul className="space-y-1.5">
                {DISABLEABLE_TOOL_IDS.map((tool) => (
                  <li key={tool}>
                    <label className="flex items-start gap-2 text-[13px] text-neutral-800">
                      <input
                        type="checkbox"
                        name="policy.disabledTools"
                        value={tool}
                        defaultChecked={policy.disabledTools.includes(tool)}
                        data-testid={`ops-disable-${tool}`}
                        className={`${checkboxClass} mt-1`}
                      />
                      <span>
                        Disable <code className="font-mono text-[12px]">{tool}</code>
                        <span className="block text-[11px] text-neutral-500">{TOOL_LABELS[tool]}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              <FieldMessage id="ops-disabled-tools-error" message={error("policy.disabledTools")} />
              <p className={hint}>The agent triages without a disabled tool; reading the ticket and drafting cannot be disabled.</p>
            </div>
          </div>
        </fieldset>

        <div className="flex flex-wrap items-center gap-3 border-t border-neutral-100 pt-3">
          <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid="ops-policy-save">
            {busy ? "Saving…" : "Save policy"}
          </button>
          {status}
        </div>
      </fetcher.Form>
    </Card>
  );
}
