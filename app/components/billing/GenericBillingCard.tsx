import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { fieldError, generateSigningSecret, inputClass, primaryButton, secondaryButton } from "../../lib/connectors";
import { ActionStatus, FieldMessage } from "../ActionStatus";
import { ShownOnce } from "../ShownOnce";
import { BillingCardHeader, SecretStatus } from "./BillingCardHeader";
import { answerFor, type BillingActionResponse, type BillingData } from "./billing";

interface Props {
  generic: BillingData["generic"];
  actionUrl: string;
}

const label = "block text-[11px] font-medium text-neutral-600";

/**
 * Any billing system as the source: we call `GET <url>?email=` signed with the
 * shared secret, and it answers a small signed JSON document
 * (docs/connectors.md "Entitlements from your billing system").
 */
export function GenericBillingCard({ generic, actionUrl }: Props) {
  const fetcher = useFetcher<BillingActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = answerFor(fetcher.data, "billingGeneric");
  const handled = useRef<BillingActionResponse | undefined>(undefined);
  const submitted = useRef("");
  const [secret, setSecret] = useState("");
  const [generated, setGenerated] = useState<{ value: string; saved: boolean } | null>(null);
  const error = (path: string) => fieldError(response?.fields, path);

  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (!response.ok) return;
    setSecret("");
    setGenerated((g) => (g && g.value === submitted.current ? { ...g, saved: true } : g));
  }, [fetcher.state, response]);

  return (
    <section
      aria-labelledby="billing-generic-heading"
      data-testid="billing-generic"
      data-enabled={generic.enabled ? "true" : "false"}
      className="rounded-lg border border-neutral-200 bg-white"
    >
      <BillingCardHeader
        kind="generic"
        name="Billing lookup URL"
        enabled={generic.enabled}
        ready={generic.secret !== null && generic.url !== null}
        notReady="needs its URL and signing secret to switch on"
        updatedAt={generic.updatedAt}
        updatedBy={generic.updatedBy}
        actionUrl={actionUrl}
      />
      <fetcher.Form
        method="post"
        action={actionUrl}
        noValidate
        aria-label="Billing lookup settings"
        className="grid gap-x-6 gap-y-3 px-4 py-3 lg:grid-cols-2"
        onSubmit={() => {
          submitted.current = secret;
        }}
      >
        <input type="hidden" name="intent" value="billingGeneric" />
        <input type="hidden" name="kind" value="generic" />
        <div className="min-w-0">
          <label htmlFor="billing-generic-url" className={label}>
            Lookup URL <span className="font-normal text-neutral-500">(we call it with ?email=…)</span>
          </label>
          <input
            id="billing-generic-url"
            name="url"
            type="url"
            defaultValue={generic.url ?? ""}
            placeholder="https://billing.example.com/support/entitlements"
            spellCheck={false}
            disabled={busy}
            aria-invalid={error("url") ? true : undefined}
            aria-describedby={error("url") ? "billing-generic-url-error" : undefined}
            data-testid="billing-generic-url"
            className={`${inputClass} mt-0.5 font-mono`}
          />
          <FieldMessage id="billing-generic-url-error" message={error("url")} />
          <p className="mt-0.5 text-[11px] text-neutral-500">
            Requests and answers are signed the Standard Webhooks way with the shared secret; answers older than five minutes, unsigned or about another email
            are refused.
          </p>
        </div>
        <div className="min-w-0 space-y-1">
          <SecretStatus label="Shared secret" fingerprint={generic.secret?.fingerprint} testId="billing-generic-secret-status" />
          <label htmlFor="billing-generic-secret" className="sr-only">
            {generic.secret ? "New shared secret" : "Shared secret"}
          </label>
          <div className="flex gap-2">
            <input
              id="billing-generic-secret"
              name="secret"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              value={secret}
              onChange={(e) => {
                setSecret(e.target.value);
                if (generated && !generated.saved && e.target.value !== generated.value) setGenerated(null);
              }}
              placeholder={generic.secret ? "Leave empty to keep the saved secret" : "whsec_… (or Generate)"}
              disabled={busy}
              aria-invalid={error("secret") ? true : undefined}
              aria-describedby={error("secret") ? "billing-generic-secret-error" : undefined}
              data-testid="billing-generic-secret"
              className={`${inputClass} font-mono`}
            />
            <button
              type="button"
              className={secondaryButton}
              disabled={busy}
              onClick={() => {
                const value = generateSigningSecret("generic");
                setSecret(value);
                setGenerated({ value, saved: false });
              }}
              data-testid="billing-generic-secret-generate"
            >
              Generate
            </button>
          </div>
          <FieldMessage id="billing-generic-secret-error" message={error("secret")} />
          {generated ? (
            <ShownOnce
              spaced={false}
              message={
                <>
                  Generated in your browser. Give it to your billing system now: it is shown only here and never again
                  {generated.saved ? " (it is saved)." : " (it is not saved until you click Save)."}
                </>
              }
              value={generated.value}
              label="Generated secret"
              id="billing-generic-generated"
              testIds={{ box: "billing-generic-generated", value: "billing-generic-generated-value", copy: "billing-generic-generated-copy" }}
              onHide={() => setGenerated(null)}
            />
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3 lg:col-span-2">
          <button type="submit" className={primaryButton} disabled={busy} data-testid="billing-generic-save">
            {busy ? "Saving…" : "Save lookup"}
          </button>
          <ActionStatus response={response} busy={busy} shownFields={["url", "secret"]} testId="billing-generic-result" />
        </div>
      </fetcher.Form>
    </section>
  );
}
