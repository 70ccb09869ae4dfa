import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useFetcher, type FetcherWithComponents } from "react-router";
import { fieldError, inputClass, primaryButton, secondaryButton } from "../lib/connectors";
import { utcStamp } from "../lib/format";
import {
  DISABLEABLE_TOOL_IDS,
  HANDOFF_QUEUES,
  LIMIT_FIELDS,
  MIN_CONFIDENCE,
  minutesLabel,
  POLICY_PRIORITIES,
  POLICY_TIERS,
  SLA_MINUTES,
  TOOL_LABELS,
  type OperatingState,
  type OperationsActionResponse,
  type OperationsIntent,
  type WaitingCounts,
} from "../lib/operations";
import { ActionStatus, FieldMessage } from "./ActionStatus";
import { TierBadge } from "./Badges";

interface Props {
  accountId: string;
  state: OperatingState;
  waiting: WaitingCounts;
  actionUrl: string;
}

type Fetcher = FetcherWithComponents<OperationsActionResponse>;

const subheading = "text-[11px] font-semibold uppercase tracking-wide text-neutral-500";
const hint = "text-[11px] leading-4 text-neutral-500";
const checkboxClass = "h-3.5 w-3.5 rounded border-neutral-300 accent-neutral-900 disabled:opacity-50";

/**
 * An account's operating controls: kill switch, rollout and limits, triage
 * policy, freeze and audit export. Each section is its own form and sends only
 * its own keys; the latest answer is shown beside the form that caused it.
 */
export function OperationsPage({ accountId, state, waiting, actionUrl }: Props) {
  // The section whose answer is shown (one `ops-status` at a time).
  const [last, setLast] = useState<OperationsIntent | null>(null);
  const fetchers = {
    killSwitch: useSectionFetcher("killSwitch", setLast),
    limits: useSectionFetcher("limits", setLast),
    policy: useSectionFetcher("policy", setLast),
    freeze: useSectionFetcher("freeze", setLast),
  };
  const pendingFrozen = fetchers.freeze.formData?.get("frozen");
  const frozen = typeof pendingFrozen === "string" ? pendingFrozen === "true" : state.frozen;
  const status = (intent: OperationsIntent, shownFields: string[] = []) =>
    last === intent ? (
      <ActionStatus response={fetchers[intent].data} busy={fetchers[intent].state !== "idle"} shownFields={shownFields} testId="ops-status" />
    ) : null;

  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1200px] space-y-4 p-6">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
          <h1 className="text-base font-semibold">Operations</h1>
          <p className="text-xs text-neutral-500" data-testid="ops-updated">
            {state.updatedAt ? (
              <>
                Last changed <time dateTime={state.updatedAt}>{utcStamp(state.updatedAt)}</time>
                {state.updatedBy ? ` by ${state.updatedBy}` : ""} · every change is in the audit trail
              </>
            ) : (
              "Never changed: the defaults apply · every change is in the audit trail"
            )}
          </p>
        </div>

        {frozen ? (
          <div role="status" className="rounded-lg border border-sky-200 bg-sky-50 px-4 py-2.5 text-xs text-sky-900" data-testid="ops-frozen-banner">
            <p className="font-semibold">This account is frozen (read-only)</p>
            <p className="mt-0.5">
              No new tickets are accepted, nobody can decide on proposals, and these settings are locked. Unfreeze it under Decommission to
              change anything.
            </p>
          </div>
        ) : null}

        <KillSwitchSection state={state} waiting={waiting} fetcher={fetchers.killSwitch} actionUrl={actionUrl} frozen={frozen} status={status("killSwitch")} />
        <LimitsSection state={state} waiting={waiting} fetcher={fetchers.limits} actionUrl={actionUrl} frozen={frozen} status={status("limits", LIMIT_FIELDS.map((f) => f.key))} />
        <PolicySection state={state} fetcher={fetchers.policy} actionUrl={actionUrl} frozen={frozen} status={status("policy", policyFieldPaths)} />
        <DecommissionSection accountId={accountId} state={state} fetcher={fetchers.freeze} actionUrl={actionUrl} frozen={frozen} status={status("freeze")} />
      </div>
    </div>
  );
}

/** One section's fetcher; marks the section as the one whose answer is shown when it submits. */
function useSectionFetcher(intent: OperationsIntent, setLast: (i: OperationsIntent) => void): Fetcher {
  const fetcher = useFetcher<OperationsActionResponse>();
  useEffect(() => {
    if (fetcher.state === "submitting") setLast(intent);
  }, [fetcher.state, intent, setLast]);
  return fetcher;
}

/** Field messages of the last answer, when it failed. */
function errorsOf(fetcher: Fetcher) {
  const fields = fetcher.data && !fetcher.data.ok ? fetcher.data.fields : undefined;
  return (path: string) => fieldError(fields, path);
}

function Card({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="scroll-mt-4 rounded-lg border border-neutral-200 bg-white">
      <div className="flex flex-wrap items-center gap-3 border-b border-neutral-100 px-4 py-2.5">
        <h2 id={`${id}-heading`} className="text-sm font-semibold text-neutral-900">
          {title}
        </h2>
        {aside ? <div className="ml-auto flex items-center gap-3">{aside}</div> : null}
      </div>
      <div className="space-y-3 px-4 py-3">{children}</div>
    </section>
  );
}

// ── Kill switch ────────────────────────────────────────────────────────────

function KillSwitchSection({
  state,
  waiting,
  fetcher,
  actionUrl,
  frozen,
  status,
}: {
  state: OperatingState;
  waiting: WaitingCounts;
  fetcher: Fetcher;
  actionUrl: string;
  frozen: boolean;
  status: ReactNode;
}) {
  return (
    <Card id="ops-kill" title="Kill switch">
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-2">
          <SwitchForm
            fetcher={fetcher}
            actionUrl={actionUrl}
            intent="killSwitch"
            name="killSwitch"
            value={state.killSwitch}
            label="Stop triage for this account"
            testId="ops-kill-switch"
            disabled={frozen}
            danger
            confirm={{
              title: "Turn the kill switch on?",
              body: (
                <>
                  <p>
                    New tickets are still acknowledged and stored, but they are not triaged: they wait as <em>held</em> until the switch is
                    turned off again.
                  </p>
                  <p>Running tasks stop before any external action: no reply is sent and no handoff is filed while the switch is on.</p>
                </>
              ),
              confirmLabel: "Turn kill switch on",
            }}
          />
          <p className={hint}>
            On: new tickets are acknowledged and stored but not triaged; running tasks stop before any external action. Off: held
            tickets start again, oldest first.
          </p>
          <p className="text-xs text-neutral-700" data-testid="ops-held">
            {waiting.held} ticket{waiting.held === 1 ? "" : "s"} held · {waiting.queued} queued for a free slot
          </p>
          {status}
        </div>
        <GlobalKillBadge on={state.globalKillSwitch} />
      </div>
    </Card>
  );
}

function GlobalKillBadge({ on }: { on: boolean }) {
  return (
    <div
      data-testid="ops-global-kill"
      data-state={on ? "on" : "off"}
      className={`rounded-md border px-3 py-2 text-xs ${on ? "border-red-200 bg-red-50 text-red-900" : "border-neutral-200 bg-neutral-50 text-neutral-700"}`}
    >
      <p className="flex items-center gap-2 font-medium">
        <span aria-hidden="true" className={`h-2 w-2 rounded-full ${on ? "bg-red-500" : "bg-neutral-300"}`} />
        Platform kill switch: {on ? "ON" : "off"}
        <span className="rounded bg-white/70 px-1.5 py-px text-[10px] font-medium uppercase tracking-wide text-neutral-500 ring-1 ring-inset ring-neutral-200">
          read-only
        </span>
      </p>
      <p className="mt-1 leading-4">
        {on ? "No account triages until it is lifted. " : ""}
        Operators control it, not account admins (see <code className="font-mono">docs/runbook.md</code>).
      </p>
    </div>
  );
}

/**
 * An on/off switch posting `name=true|false`. With `confirm`, switching on asks
 * first in a modal dialog. Shows the pending value while it is saved.
 */
function SwitchForm({
  fetcher,
  actionUrl,
  intent,
  name,
  value,
  label,
  testId,
  disabled = false,
  danger = false,
  confirm,
}: {
  fetcher: Fetcher;
  actionUrl: string;
  intent: OperationsIntent;
  name: string;
  value: boolean;
  label: string;
  testId: string;
  disabled?: boolean;
  danger?: boolean;
  confirm?: { title: string; body: ReactNode; confirmLabel: string };
}) {
  const [asking, setAsking] = useState(false);
  const busy = fetcher.state !== "idle";
  const pending = fetcher.formData?.get(name);
  const on = typeof pending === "string" ? pending === "true" : value;
  const next = String(!on);
  const onTrack = danger ? "bg-red-600" : "bg-sky-600";

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    if (confirm && !on) {
      e.preventDefault();
      setAsking(true);
    }
  };

  return (
    <>
      <fetcher.Form method="post" action={actionUrl} onSubmit={onSubmit} className="flex items-center gap-3">
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name={name} value={next} />
        <button
          type="submit"
          role="switch"
          aria-checked={on}
          aria-label={label}
          disabled={busy || disabled}
          data-testid={testId}
          data-state={on ? "on" : "off"}
          className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-neutral-400 focus-visible:ring-offset-1 disabled:opacity-60 ${
            on ? onTrack : "bg-neutral-300"
          }`}
        >
          <span aria-hidden="true" className={`inline-block h-4 w-4 rounded-full bg-white shadow transition-transform ${on ? "translate-x-4" : "translate-x-0.5"}`} />
        </button>
        <span className="text-[13px] font-medium text-neutral-900">{label}</span>
        <span className={`text-xs font-semibold ${on ? (danger ? "text-red-700" : "text-sky-700") : "text-neutral-500"}`} data-testid={`${testId}-state`}>
          {on ? "On" : "Off"}
        </span>
      </fetcher.Form>
      {confirm ? (
        <ConfirmDialog
          open={asking}
          title={confirm.title}
          confirmLabel={confirm.confirmLabel}
          testId={`${testId}-confirm`}
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            fetcher.submit({ intent, [name]: "true" }, { method: "post", action: actionUrl });
          }}
        >
          {confirm.body}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function ConfirmDialog({
  open,
  title,
  confirmLabel,
  testId,
  onCancel,
  onConfirm,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  testId: string;
  onCancel: () => void;
  onConfirm: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      onClose={onCancel}
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
      className="m-auto w-full max-w-md rounded-lg border border-neutral-200 bg-white p-0 text-neutral-900 shadow-xl backdrop:bg-neutral-900/30"
    >
      <div className="space-y-2 px-5 pt-4 pb-3 text-[13px] leading-5 text-neutral-700">
        <h2 id={`${testId}-title`} className="text-sm font-semibold text-neutral-900">
          {title}
        </h2>
        {children}
      </div>
      <div className="flex justify-end gap-2 border-t border-neutral-100 px-5 py-3">
        <button type="button" className={secondaryButton} onClick={onCancel} data-testid={`${testId}-cancel`} autoFocus>
          Cancel
        </button>
        <button type="button" className={`${primaryButton} bg-red-700 hover:bg-red-800`} onClick={onConfirm} data-testid={`${testId}-accept`}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

// ── Rollout and limits ─────────────────────────────────────────────────────

function LimitsSection({
  state,
  waiting,
  fetcher,
  actionUrl,
  frozen,
  status,
}: {
  state: OperatingState;
  waiting: WaitingCounts;
  fetcher: Fetcher;
  actionUrl: string;
  frozen: boolean;
  status: ReactNode;
}) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  return (
    <Card id="ops-limits" title="Rollout and limits">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Rollout and limits" className="space-y-3">
        <input type="hidden" name="intent" value="limits" />
        <fieldset disabled={frozen || busy} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {LIMIT_FIELDS.map((f) => {
            const id = `ops-${f.key}`;
            const message = error(f.key);
            return (
              <div key={f.key} className="min-w-0">
                <label htmlFor={id} className="block text-[11px] font-medium text-neutral-600">
                  {f.label}
                </label>
                <input
                  id={id}
                  name={f.key}
                  type="number"
                  inputMode="numeric"
                  step={1}
                  min={f.min}
                  max={f.max}
                  defaultValue={state[f.key]}
                  aria-invalid={message ? true : undefined}
                  aria-describedby={message ? `${id}-error` : `${id}-hint`}
                  data-testid={f.testId}
                  className={`${inputClass} mt-0.5 tabular-nums`}
                />
                <FieldMessage id={`${id}-error`} message={message} />
                <p id={`${id}-hint`} className={`${hint} mt-0.5`}>
                  {f.unit} · {f.min}–{f.max.toLocaleString("en-US")}
                </p>
              </div>
            );
          })}
        </fieldset>
        <p className={hint}>
          Tickets outside the rollout are stored but not triaged ({waiting.skippedToday} today). Over the ticket rate, webhooks get 429 and
          the help desk retries. Over the in-flight cap (tickets drafting at once), new tickets queue and start as drafts finish.
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid="ops-limits-save">
            {busy ? "Saving…" : "Save limits"}
          </button>
          {status}
        </div>
      </fetcher.Form>
    </Card>
  );
}

// ── Policy ─────────────────────────────────────────────────────────────────

const policyFieldPaths = [
  ...POLICY_TIERS.map((t) => `policy.tiers.${t}.handoffQueue`),
  ...POLICY_TIERS.flatMap((t) => POLICY_PRIORITIES.map((p) => `policy.sla.${t}.${p}`)),
  "policy.autoSend.minConfidence",
  "policy.nearBreachMinutes",
  "policy.disabledTools",
];

function PolicySection({
  state,
  fetcher,
  actionUrl,
  frozen,
  status,
}: {
  state: OperatingState;
  fetcher: Fetcher;
  actionUrl: string;
  frozen: boolean;
  status: ReactNode;
}) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  const { policy } = state;
  const th = "px-2 py-1.5 text-left text-[11px] font-medium uppercase tracking-wide text-neutral-500";
  const td = "px-2 py-1.5 align-top";

  return (
    <Card id="ops-policy" title="Triage policy">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Triage policy" className="space-y-5">
        <input type="hidden" name="intent" value="policy" />
        <fieldset disabled={frozen || busy} className="space-y-5">
          <div className="grid gap-5 xl:grid-cols-2">
            <div className="min-w-0 space-y-2">
              <h3 className={subheading}>Tiers</h3>
              <table className="w-full border-collapse text-xs" data-testid="ops-tiers">
                <thead className="border-b border-neutral-200">
                  <tr>
                    <th scope="col" className={th}>Tier</th>
                    <th scope="col" className={th}>Always human review</th>
                    <th scope="col" className={th}>Handoff queue</th>
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
                Always human review: a person decides every reply of the tier, even with auto-send on. Handoff queue: every ticket of the
                tier also gets an internal handoff to that queue.
              </p>
            </div>

            <div className="min-w-0 space-y-2">
              <h3 className={subheading}>First-response targets (minutes)</h3>
              <table className="w-full border-collapse text-xs" data-testid="ops-sla">
                <thead className="border-b border-neutral-200">
                  <tr>
                    <th scope="col" className={th}>Tier</th>
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
                            <MinutesInput
                              id={`ops-sla-${tier}-${p}`}
                              name={path}
                              label={`SLA minutes for ${tier} ${p}`}
                              defaultValue={value}
                              message={message}
                            />
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className={hint}>
                Minutes from receipt to the first response, {SLA_MINUTES.min} to {SLA_MINUTES.max.toLocaleString("en-US")} (14 days). Applies
                to tickets received after saving.
              </p>
            </div>
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
                <span>Send risk-free holding notes without review</span>
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
                {MIN_CONFIDENCE.min} to {MIN_CONFIDENCE.max}. Only a first-round draft sent unchanged, with no risky clause, on a tier without
                "always human review".
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

/** A whole number of minutes with its hours/days reading beside it. */
function MinutesInput({ id, name, label, defaultValue, message }: { id: string; name: string; label: string; defaultValue: number; message: string | undefined }) {
  const [value, setValue] = useState(String(defaultValue));
  const n = Number(value);
  return (
    <div className="min-w-0 max-w-[6.5rem]">
      <input
        id={id}
        name={name}
        type="number"
        inputMode="numeric"
        step={1}
        min={SLA_MINUTES.min}
        max={SLA_MINUTES.max}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label={label || undefined}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        data-testid={id}
        className={`${inputClass} tabular-nums`}
      />
      {message ? (
        <FieldMessage id={`${id}-error`} message={message} />
      ) : (
        <p className="mt-0.5 text-[10px] text-neutral-400" aria-hidden="true">
          {value.trim() && Number.isInteger(n) && n >= 60 ? minutesLabel(n) : "\u00a0"}
        </p>
      )}
    </div>
  );
}

// ── Decommission ───────────────────────────────────────────────────────────

function DecommissionSection({
  accountId,
  state,
  fetcher,
  actionUrl,
  frozen,
  status,
}: {
  accountId: string;
  state: OperatingState;
  fetcher: Fetcher;
  actionUrl: string;
  frozen: boolean;
  status: ReactNode;
}) {
  const audit = `/api/accounts/${encodeURIComponent(accountId)}/audit`;
  return (
    <Card id="ops-decommission" title="Decommission">
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-2">
          <SwitchForm
            fetcher={fetcher}
            actionUrl={actionUrl}
            intent="freeze"
            name="frozen"
            value={state.frozen}
            label="Freeze account (read-only)"
            testId="ops-freeze"
            confirm={{
              title: "Freeze this account?",
              body: (
                <>
                  <p>The account becomes read-only until it is unfrozen:</p>
                  <ul className="list-disc pl-5">
                    <li>no new tickets are accepted,</li>
                    <li>nobody can approve, edit, reject or send back proposals,</li>
                    <li>these settings are locked (only unfreezing is allowed).</li>
                  </ul>
                  <p>The data and the audit trail stay available for export.</p>
                </>
              ),
              confirmLabel: "Freeze account",
            }}
          />
          <p className={hint}>
            Read-only: no new tickets, no decisions, settings locked until unfrozen. {frozen ? "" : "Export the audit trail before you hand the account over."}
          </p>
          {status}
        </div>
        <div className="space-y-2">
          <h3 className={subheading}>Audit trail</h3>
          <div className="flex flex-wrap gap-2">
            <a href={`${audit}.jsonl`} download className={secondaryButton} data-testid="ops-export-jsonl">
              Download audit (JSONL)
            </a>
            <a href={`${audit}.csv`} download className={secondaryButton} data-testid="ops-export-csv">
              CSV
            </a>
          </div>
          <p className={hint}>Every event of this account, oldest first: who did what, when, before and after.</p>
        </div>
      </div>
    </Card>
  );
}
