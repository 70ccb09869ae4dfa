import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import {
  type ConnectorActionResponse,
  type ConnectorData,
  fieldError,
  GRACE_OPTIONS,
  generateSigningSecret,
  inputClass,
  primaryButton,
  SECRET_ORIGIN,
  secondaryButton,
} from "../lib/connectors";
import { utcStamp } from "../lib/format";
import { ActionStatus, FieldMessage } from "./ActionStatus";
import { ShownOnce } from "./ShownOnce";

interface Props {
  connector: ConnectorData;
  actionUrl: string;
  defaultGraceHours: number;
}

/**
 * Sets or rotates a source's signing secret. A generated secret is made in the
 * browser and shown only here, once; the server answers with its fingerprint.
 */
export function SigningSecretForm({ connector, actionUrl, defaultGraceHours }: Props) {
  const { source, name } = connector;
  const fetcher = useFetcher<ConnectorActionResponse>();
  const busy = fetcher.state !== "idle";
  const [secret, setSecret] = useState("");
  const [generated, setGenerated] = useState<{ value: string; saved: boolean } | null>(null);
  const handled = useRef<ConnectorActionResponse | undefined>(undefined);
  const submitted = useRef("");
  const ids = `connector-${source}-secret`;
  const response = fetcher.data?.intent === "secret" ? fetcher.data : undefined;
  const secretError = fieldError(response?.fields, "secret");
  const graceError = fieldError(response?.fields, "graceHours");

  // After a successful save the secret leaves the form (a generated one stays
  // in the panel below until dismissed, so it can still be pasted into the help desk).
  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (!response.ok) return;
    setSecret("");
    setGenerated((g) => (g && g.value === submitted.current ? { ...g, saved: true } : g));
  }, [fetcher.state, response]);

  const hasSecret = connector.signingSecret !== null;

  return (
    <fetcher.Form
      method="post"
      action={actionUrl}
      className="space-y-2"
      noValidate
      aria-label={`${name} signing secret`}
      onSubmit={() => {
        submitted.current = secret;
      }}
    >
      <input type="hidden" name="intent" value="secret" />
      <input type="hidden" name="source" value={source} />
      <div className="grid grid-cols-[minmax(0,1fr)_auto] gap-2">
        <div className="min-w-0">
          <label htmlFor={`${ids}-input`} className="sr-only">
            {hasSecret ? "New signing secret" : "Signing secret"}
          </label>
          <input
            id={`${ids}-input`}
            name="secret"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={secret}
            onChange={(e) => {
              setSecret(e.target.value);
              if (generated && !generated.saved && e.target.value !== generated.value) setGenerated(null);
            }}
            placeholder={hasSecret ? "New secret (replaces the current one)" : `Paste ${name}'s secret, or generate one`}
            disabled={busy}
            aria-invalid={secretError ? true : undefined}
            aria-describedby={secretError ? `${ids}-error` : undefined}
            data-testid={`connector-secret-${source}`}
            className={`${inputClass} font-mono`}
          />
          <FieldMessage id={`${ids}-error`} message={secretError} />
        </div>
        <button
          type="button"
          className={secondaryButton}
          disabled={busy}
          onClick={() => {
            const value = generateSigningSecret(source);
            setSecret(value);
            setGenerated({ value, saved: false });
          }}
          data-testid={`connector-secret-generate-${source}`}
        >
          Generate
        </button>
        <div className="min-w-0">
          <label htmlFor={`${ids}-grace`} className="sr-only">
            Grace period for the old secret
          </label>
          <select
            id={`${ids}-grace`}
            name="graceHours"
            defaultValue={String(defaultGraceHours)}
            disabled={busy}
            title="How long the old secret keeps verifying deliveries"
            aria-invalid={graceError ? true : undefined}
            aria-describedby={graceError ? `${ids}-grace-error` : `${ids}-grace-hint`}
            data-testid={`connector-grace-${source}`}
            className={`${inputClass} pr-1`}
          >
            {GRACE_OPTIONS.map((o) => (
              <option key={o.hours} value={o.hours}>
                {o.hours === defaultGraceHours ? `${o.label} (default)` : o.label}
              </option>
            ))}
          </select>
          <FieldMessage id={`${ids}-grace-error`} message={graceError} />
        </div>
        <button type="submit" className={primaryButton} disabled={busy || !secret.trim()} data-testid={`connector-secret-save-${source}`}>
          {busy ? "Saving…" : hasSecret ? "Rotate" : "Save"}
        </button>
      </div>
      <p className="text-[11px] text-neutral-600" data-testid={`connector-secret-origin-${source}`}>
        {SECRET_ORIGIN[source]}
      </p>
      <p id={`${ids}-grace-hint`} className="text-[11px] text-neutral-500">
        {hasSecret
          ? "During the grace period both the old and the new secret verify deliveries, so you can switch the help desk over without losing any."
          : "No secret is set yet: the source cannot be switched on until one is."}
      </p>

      {generated ? (
        <ShownOnce
          spaced={false}
          message={
            <>
              Generated in your browser. Copy it into {name} now: it is shown only here and never again
              {generated.saved ? " (it is saved)." : ` (it is not saved until you click ${hasSecret ? "Rotate" : "Save"}).`}
            </>
          }
          value={generated.value}
          label="Generated secret"
          id={`${ids}-generated`}
          testIds={{ box: `connector-generated-${source}`, value: `connector-generated-value-${source}`, copy: `connector-generated-copy-${source}` }}
          onHide={() => setGenerated(null)}
        />
      ) : null}

      <ActionStatus
        response={response}
        busy={busy}
        shownFields={["secret", "graceHours"]}
        testId={`connector-secret-result-${source}`}
        success={
          response?.ok ? (
            <>
              Saved · fp <span className="font-mono">{response.fingerprint}</span>
              {response.previousValidUntil ? ` · the previous secret is accepted until ${utcStamp(response.previousValidUntil)}` : ""}
            </>
          ) : null
        }
      />
    </fetcher.Form>
  );
}
