import { BILLING_SOURCE_NAMES, type BillingData } from "./billing";
import { GenericBillingCard } from "./GenericBillingCard";
import { StripeBillingCard } from "./StripeBillingCard";

interface Props {
  billing: BillingData;
  /** The dashboard's origin: Stripe posts its events to origin + webhookPath. */
  origin: string;
  actionUrl: string;
}

/**
 * Where requesters' plans and SLAs come from: Stripe, a generic signed lookup
 * URL, or (both off) the built-in tables. At most one source is on.
 */
export function BillingSection({ billing, origin, actionUrl }: Props) {
  return (
    <section id="billing" aria-labelledby="billing-heading" data-testid="billing" data-active={billing.active} className="scroll-mt-4 space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2 pt-2">
        <h2 id="billing-heading" className="text-sm font-semibold text-neutral-900">
          Billing · entitlements
        </h2>
        <p className="text-xs text-neutral-600" data-testid="billing-active">
          Plans and SLAs come from <span className="font-medium text-neutral-900">{BILLING_SOURCE_NAMES[billing.active]}</span>
          {billing.active === "builtin" ? "" : " · answers are cached five minutes per email"}
        </p>
      </div>
      <p className="text-[11px] text-neutral-500">
        Switch on one source at a time; switching one on switches the other off, and with both off the built-in customer and plan tables answer.
      </p>
      <StripeBillingCard stripe={billing.stripe} origin={origin} actionUrl={actionUrl} />
      <GenericBillingCard generic={billing.generic} actionUrl={actionUrl} />
    </section>
  );
}
