import { type AccountPolicy, POLICY_PRIORITIES, POLICY_TIERS, SLA_MINUTES } from "../../lib/operations";
import { TierBadge } from "../Badges";
import { MinutesInput } from "./MinutesInput";
import type { FieldErrors } from "./section";
import { hint, subheading, td, th } from "./styles";

/** First-response targets in minutes, per tier and priority. */
export function PolicySla({ policy, error }: { policy: AccountPolicy; error: FieldErrors }) {
  return (
    <div className="min-w-0 space-y-2">
      <h3 className={subheading}>First-response targets (minutes)</h3>
      <table className="w-full border-collapse text-xs" data-testid="ops-sla">
        <thead className="border-b border-neutral-200">
          <tr>
            <th scope="col" className={th}>
              Tier
            </th>
            {POLICY_PRIORITIES.map((p) => (
              <th key={p} scope="col" className={th}>
                {p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">
          {POLICY_TIERS.map((tier) => (
            <tr key={tier}>
              <th scope="row" className={`${td} text-left font-normal`}>
                <TierBadge tier={tier} />
              </th>
              {POLICY_PRIORITIES.map((p) => {
                const path = `policy.sla.${tier}.${p}`;
                const message = error(path);
                const value = policy.sla[tier][p];
                return (
                  <td key={p} className={td}>
                    <MinutesInput id={`ops-sla-${tier}-${p}`} name={path} label={`SLA minutes for ${tier} ${p}`} defaultValue={value} message={message} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className={hint}>
        Minutes from receipt to the first response, {SLA_MINUTES.min} to {SLA_MINUTES.max.toLocaleString("en-US")} (14 days), or sooner when the customer's plan
        promises a shorter first response (its SLA hours). Applies to tickets received after saving.
      </p>
    </div>
  );
}
