import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { MAPPED_TIERS, type MappedTier, STRIPE_API_ORIGIN } from "../../../worker/domain/billing";
import { fieldError, inputClass, primaryButton, secondaryButton } from "../../lib/connectors";
import { ActionStatus, FieldMessage } from "../ActionStatus";
import { CopyButton } from "../CopyButton";
import { BillingCardHeader, SecretStatus } from "./BillingCardHeader";
import { answerFor, type BillingActionResponse, type BillingData, DEFAULT_ROW_HOURS, type RuleRow, TIER_LABELS } from "./billing";

interface Props {
  stripe: BillingData["stripe"];
  origin: string;
  actionUrl: string;
}

const subheading = "text-[11px] font-semibold uppercase tracking-wide text-neutral-500";
const label = "block text-[11px] font-medium text-neutral-600";
const EVENTS = ["customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"];

/**
 * Stripe as the billing source: a restricted API key (shown afterwards only as
 * a fingerprint), the rules that map prices, products or lookup keys to a tier
 * and SLA (or a metadata key naming the tier), and the webhook that drops
 * cached answers when a subscription changes.
 */
export function StripeBillingCard({ stripe, origin, actionUrl }: Props) {
  const fetcher = useFetcher<BillingActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = answerFor(fetcher.data, "billingStripe");
  const handled = useRef<BillingActionResponse | undefined>(undefined);
  const nextKey = useRef(stripe.mapping.rules.length);
  const [apiKey, setApiKey] = useState("");
  const [webhookSecret, setWebhookSecret] = useState("");
  const [rows, setRows] = useState<RuleRow[]>(() =>
    stripe.mapping.rules.map((r, key) => ({ key, match: r.match, tier: r.tier, slaHours: String(r.slaHours), plan: r.plan ?? "" })),
  );
  const webhookUrl = `${origin}${stripe.webhookPath}`;
  const error = (path: string) => fieldError(response?.fields, path);

  // A saved key or secret leaves the form: from now on only its fingerprint is shown.
  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (!response.ok) return;
    setApiKey("");
    setWebhookSecret("");
  }, [fetcher.state, response]);

  const update = (key: number, patch: Partial<RuleRow>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const addRow = () => setRows((all) => [...all, { key: nextKey.current++, match: "", tier: "pro", slaHours: String(DEFAULT_ROW_HOURS.pro), plan: "" }]);
  const shownFields = [
    "apiKey",
    "webhookSecret",
    "mapping.metadataKey",
    "apiBaseUrl",
    ...rows.flatMap((_, i) => ["match", "tier", "slaHours", "plan"].map((f) => `mapping.rules.${i}.${f}`)),
  ];

  return (
    <section
      aria-labelledby="billing-stripe-heading"
      data-testid="billing-stripe"
      data-enabled={stripe.enabled ? "true" : "false"}
      className="rounded-lg border border-neutral-200 bg-white"
    >
      <BillingCardHeader
        kind="stripe"
        name="Stripe"
        enabled={stripe.enabled}
        ready={stripe.apiKey !== null}
        notReady="needs an API key to switch on"
        updatedAt={stripe.updatedAt}
        updatedBy={stripe.updatedBy}
        actionUrl={actionUrl}
      />
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Stripe settings" className="space-y-4 px-4 py-3">
        <input type="hidden" name="intent" value="billingStripe" />
        <input type="hidden" name="kind" value="stripe" />

        <div className="grid gap-x-6 gap-y-4 lg:grid-cols-2">
          <div className="min-w-0 space-y-2">
            <h4 className={subheading}>API key</h4>
            <SecretStatus label="Restricted key" fingerprint={stripe.apiKey?.fingerprint} testId="billing-stripe-key-status" />
            <div>
              <label htmlFor="billing-stripe-key" className={label}>
                {stripe.apiKey ? "New restricted key (replaces the saved one)" : "Restricted key"}
              </label>
              <input
                id="billing-stripe-key"
                name="apiKey"
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                placeholder={stripe.apiKey ? "Leave empty to keep the saved key" : "rk_live_…"}
                disabled={busy}
                aria-invalid={error("apiKey") ? true : undefined}
                aria-describedby={error("apiKey") ? "billing-stripe-key-error" : "billing-stripe-key-hint"}
                data-testid="billing-stripe-key"
                className={`${inputClass} mt-0.5 font-mono`}
              />
              <FieldMessage id="billing-stripe-key-error" message={error("apiKey")} />
              <p id="billing-stripe-key-hint" className="mt-0.5 text-[11px] text-neutral-500">
                Stripe Dashboard › Developers › API keys › Create restricted key, with Read on Customers, Subscriptions, Products and Prices (nothing else).
              </p>
            </div>
          </div>

          <div className="min-w-0 space-y-2">
            <h4 className={subheading}>Webhook</h4>
            <div>
              <label htmlFor="billing-stripe-webhook-url" className={label}>
                Endpoint URL <span className="font-normal text-neutral-500">(Stripe › Developers › Webhooks › Add endpoint)</span>
              </label>
              <div className="mt-0.5 flex gap-2">
                <input
                  id="billing-stripe-webhook-url"
                  readOnly
                  value={webhookUrl}
                  onFocus={(e) => e.currentTarget.select()}
                  data-testid="billing-stripe-webhook-url"
                  className="block h-8 w-full min-w-0 rounded-md border border-neutral-200 bg-neutral-50 px-2.5 font-mono text-[12px] text-neutral-800 outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200"
                />
                <CopyButton value={webhookUrl} fallbackInputId="billing-stripe-webhook-url" testId="billing-stripe-webhook-url-copy" />
              </div>
              <p className="mt-0.5 text-[11px] text-neutral-500">
                Events:{" "}
                {EVENTS.map((e, i) => (
                  <span key={e}>
                    {i ? ", " : ""}
                    <code className="font-mono">{e}</code>
                  </span>
                ))}
                . Cached answers for that customer are dropped as each arrives.
              </p>
            </div>
            <SecretStatus label="Signing secret" fingerprint={stripe.webhookSecret?.fingerprint} testId="billing-stripe-webhook-status" />
            <div>
              <label htmlFor="billing-stripe-webhook-secret" className={label}>
                {stripe.webhookSecret ? "New signing secret (replaces the saved one)" : "Signing secret"}
              </label>
              <input
                id="billing-stripe-webhook-secret"
                name="webhookSecret"
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                value={webhookSecret}
                onChange={(e) => setWebhookSecret(e.target.value)}
                placeholder={stripe.webhookSecret ? "Leave empty to keep the saved secret" : "whsec_… (the endpoint's Signing secret › Reveal)"}
                disabled={busy}
                aria-invalid={error("webhookSecret") ? true : undefined}
                aria-describedby={error("webhookSecret") ? "billing-stripe-webhook-secret-error" : undefined}
                data-testid="billing-stripe-webhook-secret"
                className={`${inputClass} mt-0.5 font-mono`}
              />
              <FieldMessage id="billing-stripe-webhook-secret-error" message={error("webhookSecret")} />
            </div>
          </div>
        </div>

        <div className="space-y-2">
          <h4 className={subheading}>Mapping</h4>
          <p className="text-[11px] text-neutral-500">
            Each live subscription item (active, trialing or past due) matches a row by its price id (<code className="font-mono">price_…</code>), product id (
            <code className="font-mono">prod_…</code>) or price lookup key; the best tier over all of a customer's subscriptions wins, and none gives{" "}
            <code className="font-mono">unknown</code>.
          </p>
          <table className="w-full text-xs" data-testid="billing-stripe-rules">
            <thead>
              <tr className="text-left text-[11px] text-neutral-500">
                <th className="pb-1 pr-2 font-medium">Price, product or lookup key</th>
                <th className="pb-1 pr-2 font-medium">Tier</th>
                <th className="pb-1 pr-2 font-medium">SLA hours</th>
                <th className="pb-1 pr-2 font-medium">Plan name (optional)</th>
                <th className="pb-1 font-medium">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 ? (
                <tr>
                  <td colSpan={5} className="py-1.5 text-neutral-500" data-testid="billing-stripe-rules-empty">
                    No rules yet: only the metadata key (if set) maps subscriptions.
                  </td>
                </tr>
              ) : null}
              {rows.map((row, i) => {
                const id = `billing-rule-${row.key}`;
                const err = (f: string) => error(`mapping.rules.${i}.${f}`);
                return (
                  <tr key={row.key} className="align-top" data-testid={`billing-rule-${i}`}>
                    <td className="pb-1.5 pr-2">
                      <input
                        name="rule.match"
                        value={row.match}
                        onChange={(e) => update(row.key, { match: e.target.value })}
                        placeholder="price_1Nx… / prod_… / lookup key"
                        spellCheck={false}
                        disabled={busy}
                        aria-label={`Row ${i + 1}: price, product or lookup key`}
                        aria-invalid={err("match") ? true : undefined}
                        aria-describedby={err("match") ? `${id}-match-error` : undefined}
                        data-testid={`billing-rule-match-${i}`}
                        className={`${inputClass} font-mono`}
                      />
                      <FieldMessage id={`${id}-match-error`} message={err("match")} />
                    </td>
                    <td className="pb-1.5 pr-2">
                      <select
                        name="rule.tier"
                        value={row.tier}
                        onChange={(e) => update(row.key, { tier: e.target.value as MappedTier })}
                        disabled={busy}
                        aria-label={`Row ${i + 1}: tier`}
                        aria-invalid={err("tier") ? true : undefined}
                        data-testid={`billing-rule-tier-${i}`}
                        className={`${inputClass} pr-1`}
                      >
                        {MAPPED_TIERS.map((t) => (
                          <option key={t} value={t}>
                            {TIER_LABELS[t]}
                          </option>
                        ))}
                      </select>
                      <FieldMessage id={`${id}-tier-error`} message={err("tier")} />
                    </td>
                    <td className="w-28 pb-1.5 pr-2">
                      <input
                        name="rule.slaHours"
                        inputMode="numeric"
                        value={row.slaHours}
                        onChange={(e) => update(row.key, { slaHours: e.target.value })}
                        disabled={busy}
                        aria-label={`Row ${i + 1}: SLA hours`}
                        aria-invalid={err("slaHours") ? true : undefined}
                        aria-describedby={err("slaHours") ? `${id}-hours-error` : undefined}
                        data-testid={`billing-rule-hours-${i}`}
                        className={inputClass}
                      />
                      <FieldMessage id={`${id}-hours-error`} message={err("slaHours")} />
                    </td>
                    <td className="pb-1.5 pr-2">
                      <input
                        name="rule.plan"
                        value={row.plan}
                        onChange={(e) => update(row.key, { plan: e.target.value })}
                        placeholder="the product's name"
                        disabled={busy}
                        aria-label={`Row ${i + 1}: plan name`}
                        aria-invalid={err("plan") ? true : undefined}
                        data-testid={`billing-rule-plan-${i}`}
                        className={inputClass}
                      />
                      <FieldMessage id={`${id}-plan-error`} message={err("plan")} />
                    </td>
                    <td className="pb-1.5">
                      <button
                        type="button"
                        className={secondaryButton}
                        disabled={busy}
                        onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
                        aria-label={`Remove row ${i + 1}`}
                        data-testid={`billing-rule-remove-${i}`}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" className={secondaryButton} disabled={busy} onClick={addRow} data-testid="billing-rule-add">
            Add row
          </button>
          <div className="max-w-sm">
            <label htmlFor="billing-stripe-metadata-key" className={label}>
              Metadata key <span className="font-normal text-neutral-500">(optional)</span>
            </label>
            <input
              id="billing-stripe-metadata-key"
              name="metadataKey"
              defaultValue={stripe.mapping.metadataKey ?? ""}
              placeholder="e.g. support_tier"
              spellCheck={false}
              disabled={busy}
              aria-invalid={error("mapping.metadataKey") ? true : undefined}
              aria-describedby={error("mapping.metadataKey") ? "billing-stripe-metadata-key-error" : "billing-stripe-metadata-key-hint"}
              data-testid="billing-stripe-metadata-key"
              className={`${inputClass} mt-0.5 font-mono`}
            />
            <FieldMessage id="billing-stripe-metadata-key-error" message={error("mapping.metadataKey")} />
            <p id="billing-stripe-metadata-key-hint" className="mt-0.5 text-[11px] text-neutral-500">
              For items no row matches: the tier (free, pro or enterprise) named under this key on the subscription, the price or the product.
            </p>
          </div>
          <details className="max-w-sm text-xs" open={stripe.apiBaseUrl !== STRIPE_API_ORIGIN || !!error("apiBaseUrl")}>
            <summary className="cursor-pointer text-neutral-600">Advanced</summary>
            <label htmlFor="billing-stripe-api-base" className={`${label} mt-1`}>
              API base URL
            </label>
            <input
              id="billing-stripe-api-base"
              name="apiBaseUrl"
              type="url"
              defaultValue={stripe.apiBaseUrl}
              spellCheck={false}
              disabled={busy}
              aria-invalid={error("apiBaseUrl") ? true : undefined}
              aria-describedby={error("apiBaseUrl") ? "billing-stripe-api-base-error" : "billing-stripe-api-base-hint"}
              data-testid="billing-stripe-api-base"
              className={`${inputClass} mt-0.5 font-mono`}
            />
            <FieldMessage id="billing-stripe-api-base-error" message={error("apiBaseUrl")} />
            <p id="billing-stripe-api-base-hint" className="mt-0.5 text-[11px] text-neutral-500">
              Deployed, lookups always go to {STRIPE_API_ORIGIN}. In local development only, a loopback URL points them at stripe-mock or a fake Stripe.
            </p>
          </details>
        </div>

        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButton} disabled={busy} data-testid="billing-stripe-save">
            {busy ? "Saving…" : "Save Stripe settings"}
          </button>
          <ActionStatus response={response} busy={busy} shownFields={shownFields} testId="billing-stripe-result" />
        </div>
      </fetcher.Form>
    </section>
  );
}
