import { useEffect, useRef } from "react";
import { useFetcher } from "react-router";
import { type ConnectorActionResponse, type ConnectorData, fieldError, inputClass, primaryButton } from "../lib/connectors";
import { ActionStatus, FieldMessage } from "./ActionStatus";

interface Props {
  connector: ConnectorData;
  actionUrl: string;
}

/**
 * API base URL and credentials for posting replies and notes back to the help
 * desk. Stored values are never sent to the browser: a "set" badge says which
 * are stored, and an empty input keeps the stored value.
 */
export function OutboundForm({ connector, actionUrl }: Props) {
  const { source, name, credentialFields, credentialsSet } = connector;
  const fetcher = useFetcher<ConnectorActionResponse>();
  const busy = fetcher.state !== "idle";
  const formRef = useRef<HTMLFormElement>(null);
  const handled = useRef<ConnectorActionResponse | undefined>(undefined);
  const response = fetcher.data?.intent === "outbound" ? fetcher.data : undefined;
  const ids = `connector-${source}-outbound`;

  // Clear typed credentials once they are stored.
  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (response.ok) formRef.current?.reset();
  }, [fetcher.state, response]);

  if (credentialFields.length === 0) {
    return (
      <p className="text-xs text-neutral-600" data-testid={`connector-outbound-${source}`}>
        Replies go to the built-in outbox: approved replies are stored in the app (table <code className="font-mono">outbox</code>) for your own system to pick
        up; there is nothing to configure.
      </p>
    );
  }

  const configured = connector.apiBaseUrl !== null && credentialsSet.length > 0;
  const urlError = fieldError(response?.fields, "apiBaseUrl");
  const shown = ["apiBaseUrl", ...credentialFields.map((f) => `credentials.${f.key}`)];

  return (
    <fetcher.Form
      ref={formRef}
      method="post"
      action={actionUrl}
      className="space-y-2"
      noValidate
      autoComplete="off"
      aria-label={`${name} outbound settings`}
      data-testid={`connector-outbound-${source}`}
    >
      <input type="hidden" name="intent" value="outbound" />
      <input type="hidden" name="source" value={source} />
      <p className="text-[11px] text-neutral-500">
        {configured
          ? `Approved replies are posted to ${name}; handoffs become internal notes where ${name} has them.`
          : `Not configured: approved replies go to the built-in outbox until the API base URL and credentials are set.`}
      </p>

      <div>
        <label htmlFor={`${ids}-url`} className="block text-[11px] font-medium text-neutral-600">
          API base URL
        </label>
        <input
          id={`${ids}-url`}
          name="apiBaseUrl"
          type="text"
          inputMode="url"
          spellCheck={false}
          defaultValue={connector.apiBaseUrl ?? ""}
          placeholder={connector.defaultBaseUrl ?? "https://…"}
          disabled={busy}
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? `${ids}-url-error` : undefined}
          data-testid={`connector-api-url-${source}`}
          className={`${inputClass} mt-0.5 font-mono text-[12px]`}
        />
        <FieldMessage id={`${ids}-url-error`} message={urlError} />
      </div>

      <div className="grid gap-2 sm:grid-cols-2">
        {credentialFields.map((f) => {
          const isSet = credentialsSet.includes(f.key);
          const error = fieldError(response?.fields, `credentials.${f.key}`);
          return (
            <div key={f.key} className="min-w-0">
              <label htmlFor={`${ids}-${f.key}`} className="flex items-center gap-1.5 text-[11px] font-medium text-neutral-600">
                {f.label}
                {isSet ? (
                  <span
                    className="rounded bg-emerald-50 px-1 text-[10px] font-medium text-emerald-700 ring-1 ring-inset ring-emerald-200"
                    data-testid={`connector-cred-set-${source}-${f.key}`}
                  >
                    set
                  </span>
                ) : null}
              </label>
              <input
                id={`${ids}-${f.key}`}
                name={`cred.${f.key}`}
                type={f.secret ? "password" : "text"}
                autoComplete={f.secret ? "new-password" : "off"}
                spellCheck={false}
                placeholder={isSet ? "stored · leave empty to keep" : f.placeholder}
                disabled={busy}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${ids}-${f.key}-error` : undefined}
                data-testid={`connector-cred-${source}-${f.key}`}
                className={`${inputClass} mt-0.5 ${f.secret ? "font-mono" : ""}`}
              />
              <FieldMessage id={`${ids}-${f.key}-error`} message={error} />
            </div>
          );
        })}
      </div>

      <div className="flex items-center gap-3">
        <button type="submit" className={primaryButton} disabled={busy} data-testid={`connector-outbound-save-${source}`}>
          {busy ? "Saving…" : "Save outbound settings"}
        </button>
        <span className="text-[11px] text-neutral-500">Empty fields keep the stored value.</span>
      </div>
      <ActionStatus response={response} busy={busy} shownFields={shown} testId={`connector-outbound-result-${source}`} />
    </fetcher.Form>
  );
}
