import { inputClass } from "../../lib/connectors";
import { type AccountPolicy, HANDOFF_QUEUES, POLICY_TIERS } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";
import { TierBadge } from "../Badges";
import type { FieldErrors } from "./section";
import { checkboxClass, hint, subheading, td, th } from "./styles";

/** Per plan tier: always human review, and the queue every ticket of the tier is handed off to. */
export function PolicyTiers({ policy, error }: { policy: AccountPolicy; error: FieldErrors }) {
  return (
    <div className="min-w-0 space-y-2">
      <h3 className={subheading}>Tiers</h3>
      <table className="w-full border-collapse text-xs" data-testid="ops-tiers">
        <thead className="border-b border-neutral-200">
          <tr>
            <th scope="col" className={th}>
              Tier
            </th>
            <th scope="col" className={th}>
              Always human review
            </th>
            <th scope="col" className={th}>
              Handoff queue
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {POLICY_TIERS.map((tier) => {
            const queuePath = `policy.tiers.${tier}.handoffQueue`;
            const message = error(queuePath);
            return (
              <tr key={tier}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  <TierBadge tier={tier} />
                </th>
                <td className={td}>
                  <label className="inline-flex items-center gap-2">
                    <input
                      type="checkbox"
                      name={`policy.tiers.${tier}.alwaysReview`}
                      value="true"
                      defaultChecked={policy.tiers[tier].alwaysReview}
                      data-testid={`ops-always-review-${tier}`}
                      className={checkboxClass}
                    />
                    <span className="text-neutral-700">always</span>
                    <span className="sr-only"> human review for {tier}</span>
                  </label>
                </td>
                <td className={td}>
                  <label htmlFor={`ops-handoff-${tier}`} className="sr-only">
                    Handoff queue for {tier}
                  </label>
                  <select
                    id={`ops-handoff-${tier}`}
                    name={queuePath}
                    defaultValue={policy.tiers[tier].handoffQueue ?? ""}
                    aria-invalid={message ? true : undefined}
                    data-testid={`ops-handoff-${tier}`}
                    className={`${inputClass} max-w-[14rem]`}
                  >
                    <option value="">none (agent decides)</option>
                    {HANDOFF_QUEUES.map((q) => (
                      <option key={q} value={q}>
                        {q}
                      </option>
                    ))}
                  </select>
                  <FieldMessage id={`ops-handoff-${tier}-error`} message={message} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className={hint}>
        Always human review: a person decides every reply of the tier, even with auto-send on. Handoff queue: every ticket of the tier also gets an internal
        handoff to that queue.
      </p>
    </div>
  );
}
