import type { ReactNode } from "react";
import { inputClass, primaryButton } from "../../lib/connectors";
import { languageName } from "../../lib/format";
import { BUILT_IN_CATEGORIES, LANGUAGES } from "../../lib/operations";
import { FieldMessage } from "../ActionStatus";
import { Card } from "./Card";
import { errorsOf, type SectionProps } from "./section";
import { hint, subheading, td, th } from "./styles";

/** The field paths the queues form shows beside its inputs. */
export const queueFieldPaths = [...LANGUAGES.map((l) => `policy.languageQueues.${l}`), ...BUILT_IN_CATEGORIES.map((c) => `policy.categoryQueues.${c}`)];

/**
 * Where handoffs go: a queue per detected language, and a queue per built-in
 * category instead of the built-in rule's. An account category's own queue
 * comes first, then the language's, then the category's, then the rule.
 */
export function QueuesSection({ state, fetcher, actionUrl, frozen, status, queuesListId }: SectionProps & { queuesListId: string }) {
  const busy = fetcher.state !== "idle";
  const error = errorsOf(fetcher);
  const { policy } = state;
  const row = (label: string, path: string, value: string | undefined, testId: string) => {
    const message = error(path);
    return (
      <tr key={path}>
        <th scope="row" className={`${td} text-left font-normal text-neutral-800`}>
          <label htmlFor={testId}>{label}</label>
        </th>
        <td className={td}>
          <input
            id={testId}
            name={path}
            defaultValue={value ?? ""}
            list={queuesListId}
            placeholder="none"
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? `${testId}-error` : undefined}
            data-testid={testId}
            className={`${inputClass} max-w-[14rem] font-mono`}
          />
          <FieldMessage id={`${testId}-error`} message={message} />
        </td>
      </tr>
    );
  };
  return (
    <Card id="ops-queues" title="Handoff queues">
      <fetcher.Form method="post" action={actionUrl} noValidate aria-label="Handoff queues" className="space-y-3">
        <input type="hidden" name="intent" value="queues" />
        <fieldset disabled={frozen || busy} className="grid gap-5 xl:grid-cols-2">
          <QueueTable
            title="Language queues"
            label="Language"
            testId="ops-language-queues"
            rows={LANGUAGES.map((l) => row(`${languageName(l)} (${l})`, `policy.languageQueues.${l}`, policy.languageQueues[l], `ops-language-queue-${l}`))}
            explanation="Every ticket detected in the language is handed off to its queue (not when the text was too short to tell), unless its account category has a queue of its own."
          />
          <QueueTable
            title="Built-in category queues"
            label="Category"
            testId="ops-category-queues"
            rows={BUILT_IN_CATEGORIES.map((c) => row(c, `policy.categoryQueues.${c}`, policy.categoryQueues[c], `ops-category-queue-${c}`))}
            explanation="Where a handoff of the category goes when one is filed anyway (urgent, security or outage; a tier's own queue still comes first); empty: the built-in rule (engineering, security, billing, privacy or tier-2)."
          />
        </fieldset>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid="ops-queues-save">
            {busy ? "Saving…" : "Save queues"}
          </button>
          {status}
        </div>
      </fetcher.Form>
    </Card>
  );
}

/** One table of queues: a row per language or per category, and what its queues do. */
function QueueTable({ title, label, testId, rows, explanation }: { title: string; label: string; testId: string; rows: ReactNode; explanation: string }) {
  return (
    <div className="min-w-0 space-y-2">
      <h3 className={subheading}>{title}</h3>
      <table className="w-full border-collapse text-xs" data-testid={testId}>
        <thead className="border-b border-neutral-200">
          <tr>
            <th scope="col" className={th}>
              {label}
            </th>
            <th scope="col" className={th}>
              Handoff queue
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-100">{rows}</tbody>
      </table>
      <p className={hint}>{explanation}</p>
    </div>
  );
}
