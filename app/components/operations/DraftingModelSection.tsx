import { useState } from "react";
import { inputClass, primaryButton } from "../../lib/connectors";
import type { AccountPolicy } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";
import { Card } from "./Card";
import { errorsOf, type SectionProps } from "./section";
import { hint } from "./styles";

type Provider = AccountPolicy["draftingModel"]["provider"];

/** Which hosted models this Worker can use (an API key, an `AI` binding). */
export interface HostedModels {
  openai: boolean;
  workersAi: boolean;
}

/** The field paths the form shows beside its inputs. */
export const draftingModelFieldPaths = ["policy.draftingModel.provider", "policy.draftingModel.workersAiModel"];

const CHOICES: { value: Provider; label: string; explanation: (m: HostedModels) => string; available: (m: HostedModels) => boolean }[] = [
  {
    value: "auto",
    label: "Automatic",
    explanation: (m) => `OpenAI when the Worker has an API key, else the built-in offline model (now: ${m.openai ? "OpenAI" : "offline"}).`,
    available: () => true,
  },
  {
    value: "offline",
    label: "Built-in offline model",
    explanation: () => "Deterministic holding replies; no ticket text leaves the Worker.",
    available: () => true,
  },
  {
    value: "openai",
    label: "OpenAI",
    explanation: (m) =>
      m.openai ? "The OpenAI-compatible API set by OPENAI_API_KEY (and OPENAI_MODEL)." : "Not available: this Worker has no OPENAI_API_KEY.",
    available: (m) => m.openai,
  },
  {
    value: "workers-ai",
    label: "Workers AI",
    explanation: (m) =>
      m.workersAi ? "A model on Cloudflare's network, through the Worker's AI binding." : "Not available: this Worker has no AI binding (see docs/deploy.md).",
    available: (m) => m.workersAi,
  },
];

/**
 * The model that drafts replies for this account. A hosted model the Worker
 * cannot use is refused when saved; one that became unavailable since drafts
 * with the offline model, and each proposal's plan says so.
 */
export function DraftingModelSection({ state, models, fetcher, actionUrl, frozen, status }: SectionProps & { models: HostedModels }) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  const saved = state.policy.draftingModel;
  const [provider, setProvider] = useState<Provider>(saved.provider);
  const savedChoice = CHOICES.find((c) => c.value === saved.provider);
  const fallingBack = savedChoice && !savedChoice.available(models);
  const modelError = error("policy.draftingModel.workersAiModel");

  return (
    <Card id="ops-drafting-model" title="Drafting model">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Drafting model" className="space-y-3">
        <input type="hidden" name="intent" value="draftingModel" />
        {fallingBack ? (
          <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-2.5 py-1.5 text-xs text-amber-900" data-testid="ops-drafting-fallback">
            {savedChoice.label} is chosen but no longer available on this Worker: tickets are drafted with the built-in offline model, and each proposal's plan
            says so.
          </p>
        ) : null}
        <fieldset disabled={frozen || busy} className="grid gap-5 md:grid-cols-2">
          <fieldset className="min-w-0 space-y-1.5" data-testid="ops-drafting-model">
            <legend className="sr-only">Model</legend>
            {CHOICES.map((c) => (
              <label key={c.value} className="flex items-start gap-2 text-[13px] text-neutral-800">
                <input
                  type="radio"
                  name="policy.draftingModel.provider"
                  value={c.value}
                  checked={provider === c.value}
                  onChange={() => setProvider(c.value)}
                  disabled={!c.available(models) && saved.provider !== c.value}
                  data-testid={`ops-drafting-model-${c.value}`}
                  className="mt-1 accent-neutral-900"
                />
                <span>
                  {c.label}
                  <span className="block text-[11px] text-neutral-500">{c.explanation(models)}</span>
                </span>
              </label>
            ))}
            <FieldMessage id="ops-drafting-model-error" message={error("policy.draftingModel.provider")} />
          </fieldset>
          <div className="min-w-0 space-y-1">
            <label htmlFor="ops-workers-ai-model" className="block text-[11px] font-medium text-neutral-600">
              Workers AI model
            </label>
            <input
              id="ops-workers-ai-model"
              name="policy.draftingModel.workersAiModel"
              defaultValue={saved.workersAiModel}
              spellCheck={false}
              aria-invalid={modelError ? true : undefined}
              aria-describedby={modelError ? "ops-workers-ai-model-error" : undefined}
              data-testid="ops-workers-ai-model"
              className={`${inputClass} font-mono`}
            />
            <FieldMessage id="ops-workers-ai-model-error" message={modelError} />
            <p className={hint}>An @cf/… model id that calls tools; used when Workers AI is chosen.</p>
          </div>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3 border-t border-neutral-100 pt-3">
          <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid="ops-drafting-model-save">
            {busy ? "Saving…" : "Save drafting model"}
          </button>
          {status}
        </div>
      </fetcher.Form>
    </Card>
  );
}
