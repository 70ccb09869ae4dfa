import { useFetcher } from "react-router";
import type { ConnectorActionResponse, ConnectorData } from "../lib/connectors";
import { utcStamp } from "../lib/format";
import { ActionStatus } from "./ActionStatus";
import { CopyButton } from "./CopyButton";
import { DeliveriesTable } from "./DeliveriesTable";
import { OutboundForm } from "./OutboundForm";
import { SigningSecretForm } from "./SigningSecretForm";
import { WriteBackForm } from "./WriteBackForm";

interface Props {
  connector: ConnectorData;
  /** The dashboard's origin: the help desk posts to origin + webhookPath. */
  origin: string;
  actionUrl: string;
  defaultGraceHours: number;
  /** For Freshdesk, which does not sign: the request body and header its automation must send. */
  freshdesk?: { template: string; tokenHeader: string };
}

const subheading = "text-[11px] font-semibold uppercase tracking-wide text-neutral-500";

/** One help-desk source: on/off, where it posts, its signing secret, outbound settings, last deliveries. */
export function ConnectorCard({ connector, origin, actionUrl, defaultGraceHours, freshdesk }: Props) {
  const { source, name } = connector;
  const headingId = `connector-${source}-heading`;
  const webhookUrl = `${origin}${connector.webhookPath}`;

  return (
    <section
      id={`connector-${source}`}
      aria-labelledby={headingId}
      data-testid={`connector-${source}`}
      data-enabled={connector.enabled ? "true" : "false"}
      className="scroll-mt-4 rounded-lg border border-neutral-200 bg-white"
    >
      <ConnectorHeader connector={connector} headingId={headingId} actionUrl={actionUrl} />

      <div className="grid gap-x-6 gap-y-4 px-4 py-3 lg:grid-cols-2">
        <div className="min-w-0 space-y-3">
          <h3 className={subheading}>Inbound</h3>
          <div>
            <label htmlFor={`connector-${source}-url`} className="block text-[11px] font-medium text-neutral-600">
              Webhook URL <span className="font-normal text-neutral-500">(paste into {name})</span>
            </label>
            <div className="mt-0.5 flex gap-2">
              <input
                id={`connector-${source}-url`}
                readOnly
                value={webhookUrl}
                onFocus={(e) => e.currentTarget.select()}
                data-testid={`connector-url-${source}`}
                className="block h-8 w-full min-w-0 rounded-md border border-neutral-200 bg-neutral-50 px-2.5 font-mono text-[12px] text-neutral-800 outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200"
              />
              <CopyButton value={webhookUrl} fallbackInputId={`connector-${source}-url`} testId={`connector-url-copy-${source}`} />
            </div>
          </div>

          <div>
            <p className="text-[11px] font-medium text-neutral-600">Signing secret</p>
            <p className="mt-0.5 text-xs" data-testid={`connector-secret-status-${source}`}>
              {connector.signingSecret ? (
                <span className="text-neutral-800">
                  set · fp <span className="font-mono">{connector.signingSecret.fingerprint}</span>
                </span>
              ) : (
                <span className="text-amber-700">not set</span>
              )}
            </p>
            {connector.previousSecret ? (
              <p className="mt-0.5 text-xs text-neutral-600" data-testid={`connector-previous-secret-${source}`}>
                previous secret (fp <span className="font-mono">{connector.previousSecret.fingerprint}</span>) still accepted until{" "}
                <time dateTime={connector.previousSecret.validUntil}>{utcStamp(connector.previousSecret.validUntil)}</time>
              </p>
            ) : null}
          </div>

          <SigningSecretForm connector={connector} actionUrl={actionUrl} defaultGraceHours={defaultGraceHours} />

          {freshdesk ? <FreshdeskRequest source={source} {...freshdesk} /> : null}
        </div>

        <div className="min-w-0 space-y-3">
          <h3 className={subheading}>Outbound</h3>
          <OutboundForm connector={connector} actionUrl={actionUrl} />
          <WriteBackForm connector={connector} actionUrl={actionUrl} />
        </div>
      </div>

      <div className="space-y-2 border-t border-neutral-100 px-4 py-3">
        <h3 className={subheading}>Last deliveries</h3>
        <DeliveriesTable source={source} deliveries={connector.deliveries} />
      </div>
    </section>
  );
}

/** Name, state and the on/off switch (optimistic while the change is saved). */
function ConnectorHeader({ connector, headingId, actionUrl }: { connector: ConnectorData; headingId: string; actionUrl: string }) {
  const { source, name } = connector;
  const fetcher = useFetcher<ConnectorActionResponse>();
  const busy = fetcher.state !== "idle";
  const pending = fetcher.formData?.get("enabled");
  const enabled = typeof pending === "string" ? pending === "true" : connector.enabled;
  const response = fetcher.data?.intent === "toggle" ? fetcher.data : undefined;

  return (
    <div className="border-b border-neutral-100 px-4 py-2.5">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id={headingId} className="text-sm font-semibold text-neutral-900">
          {name}
        </h2>
        <code className="font-mono text-[11px] text-neutral-500">{source}</code>
        <div className="ml-auto flex items-center gap-3">
          {connector.updatedAt ? (
            <span className="hidden text-[11px] text-neutral-500 sm:inline">
              changed {utcStamp(connector.updatedAt)}
              {connector.updatedBy ? ` by ${connector.updatedBy}` : ""}
            </span>
          ) : null}
          {!connector.enabled && !connector.signingSecret ? <span className="text-[11px] text-neutral-500">needs a signing secret to switch on</span> : null}
          <fetcher.Form method="post" action={actionUrl} className="flex items-center gap-2">
            <input type="hidden" name="intent" value="toggle" />
            <input type="hidden" name="source" value={source} />
            <input type="hidden" name="enabled" value={String(!enabled)} />
            <span className={`text-xs font-medium ${enabled ? "text-emerald-700" : "text-neutral-500"}`} aria-hidden="true">
              {enabled ? "On" : "Off"}
            </span>
            <button
              type="submit"
              role="switch"
              aria-checked={enabled}
              aria-label={`Receive webhooks from ${name}`}
              disabled={busy}
              data-testid={`connector-toggle-${source}`}
              className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-neutral-400 focus-visible:ring-offset-1 disabled:opacity-60 ${
                enabled ? "bg-emerald-600" : "bg-neutral-300"
              }`}
            >
              <span
                aria-hidden="true"
                className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${enabled ? "translate-x-4" : "translate-x-0.5"}`}
              />
            </button>
          </fetcher.Form>
        </div>
      </div>
      {response && !response.ok ? (
        <div className="mt-2">
          <ActionStatus response={response} busy={busy} testId={`connector-toggle-result-${source}`} />
        </div>
      ) : null}
    </div>
  );
}

/** What Freshdesk's "Trigger webhook" action must send: our JSON body and the token header. */
function FreshdeskRequest({ source, template, tokenHeader }: { source: string; template: string; tokenHeader: string }) {
  return (
    <div className="space-y-1" data-testid={`connector-template-${source}`}>
      <p className="text-[11px] font-medium text-neutral-600">Trigger webhook action</p>
      <p className="text-[11px] text-neutral-500">
        Request type POST, Encoding JSON, Content Advanced, this body; add the header <code className="font-mono">{tokenHeader}</code> with the signing secret
        as its value (or Basic authentication with the secret as the password).
      </p>
      <div className="flex items-start gap-2">
        <pre className="max-h-40 min-w-0 flex-1 overflow-auto rounded-md border border-neutral-200 bg-neutral-50 px-2.5 py-1.5 font-mono text-[11px] leading-4 text-neutral-800">
          {template}
        </pre>
        <CopyButton value={template} testId={`connector-template-copy-${source}`} />
      </div>
    </div>
  );
}
