import { useState } from "react";
import { utcStamp } from "../../lib/format";
import { knownQueues, LIMIT_FIELDS, type OperatingState, type OperationsIntent, type WaitingCounts } from "../../lib/operations";
import { ActionStatus } from "../ActionStatus";
import { CategoriesSection } from "./CategoriesSection";
import { DecommissionSection } from "./DecommissionSection";
import { DraftingModelSection, draftingModelFieldPaths, type HostedModels } from "./DraftingModelSection";
import { KillSwitchSection } from "./KillSwitchSection";
import { LimitsSection } from "./LimitsSection";
import { PolicySection, policyFieldPaths } from "./PolicySection";
import { QueuesSection, queueFieldPaths } from "./QueuesSection";
import { SamplesSection, samplesFieldPaths } from "./SamplesSection";
import { useSectionFetcher } from "./section";

interface Props {
  accountId: string;
  state: OperatingState;
  waiting: WaitingCounts;
  /** Which hosted models this Worker can draft with. */
  models: HostedModels;
  actionUrl: string;
}

/**
 * An account's operating controls: kill switch, rollout and limits, triage
 * policy, the drafting model, samples for review, freeze and audit export. Each section is its own
 * form and sends only its own keys; the latest answer is shown beside the form
 * that caused it.
 */
export function OperationsPage({ accountId, state, waiting, models, actionUrl }: Props) {
  // The section whose answer is shown (one `ops-status` at a time).
  const [last, setLast] = useState<OperationsIntent | null>(null);
  const fetchers = {
    killSwitch: useSectionFetcher("killSwitch", setLast),
    limits: useSectionFetcher("limits", setLast),
    policy: useSectionFetcher("policy", setLast),
    queues: useSectionFetcher("queues", setLast),
    draftingModel: useSectionFetcher("draftingModel", setLast),
    samples: useSectionFetcher("samples", setLast),
    freeze: useSectionFetcher("freeze", setLast),
  };
  const pendingFrozen = fetchers.freeze.formData?.get("frozen");
  const frozen = typeof pendingFrozen === "string" ? pendingFrozen === "true" : state.frozen;
  const status = (intent: keyof typeof fetchers, shownFields: string[] = []) =>
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
              No new tickets are accepted, nobody can decide on proposals, and these settings are locked. Unfreeze it under Decommission to change anything.
            </p>
          </div>
        ) : null}

        <KillSwitchSection state={state} waiting={waiting} fetcher={fetchers.killSwitch} actionUrl={actionUrl} frozen={frozen} status={status("killSwitch")} />
        <LimitsSection
          state={state}
          waiting={waiting}
          fetcher={fetchers.limits}
          actionUrl={actionUrl}
          frozen={frozen}
          status={status(
            "limits",
            LIMIT_FIELDS.map((f) => f.key),
          )}
        />
        <PolicySection state={state} fetcher={fetchers.policy} actionUrl={actionUrl} frozen={frozen} status={status("policy", policyFieldPaths)} />
        {/* Queue names to suggest in the categories' and the queues' inputs. */}
        <datalist id="ops-known-queues">
          {knownQueues(state.policy).map((q) => (
            <option key={q} value={q} />
          ))}
        </datalist>
        <CategoriesSection policy={state.policy} actionUrl={actionUrl} frozen={frozen} queuesListId="ops-known-queues" />
        <QueuesSection
          state={state}
          fetcher={fetchers.queues}
          actionUrl={actionUrl}
          frozen={frozen}
          status={status("queues", queueFieldPaths)}
          queuesListId="ops-known-queues"
        />
        <DraftingModelSection
          state={state}
          models={models}
          fetcher={fetchers.draftingModel}
          actionUrl={actionUrl}
          frozen={frozen}
          status={status("draftingModel", draftingModelFieldPaths)}
        />
        <SamplesSection state={state} fetcher={fetchers.samples} actionUrl={actionUrl} frozen={frozen} status={status("samples", samplesFieldPaths)} />
        <DecommissionSection accountId={accountId} state={state} fetcher={fetchers.freeze} actionUrl={actionUrl} frozen={frozen} status={status("freeze")} />
      </div>
    </div>
  );
}
