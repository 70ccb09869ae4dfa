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
          <div className="min-w-0 space-y-2">
            <h3 className={subheading}>Language queues</h3>
            <table className="w-full border-collapse text-xs" data-testid="ops-language-queues">
              <thead className="border-b border-neutral-200">
                <tr>
                  <th scope="col" className={th}>
                    Language
                  </th>
                  <th scope="col" className={th}>
                    Handoff queue
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-100">
                {LANGUAGES.map((l) => row(`${languageName(l)} (${l})`, `policy.languageQueues.${l}`, policy.languageQueues[l], `ops-language-queue-${l}`))}
              </tbody>
            </table>
            <p className={hint}>
              Every ticket detected in the language is handed off to its queue (not when the text was too short to tell), unless its account category has a
              queue of its own.
            </p>
          </div>
          <div className="min-w-0 space-y-2">
            <h3 className={subheading}>Built-in category queues</h3>
            <table className="w-full border-collapse text-xs" data-testid="ops-category-queues">
              <thead className="border-b border-neutral-200">
                <tr>
                  <th scope="col" className={th}>
                    Category
                  </th>
                  <th scope="col" className={th}>
                    Handoff queue
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-100">
                {BUILT_IN_CATEGORIES.map((c) => row(c, `policy.categoryQueues.${c}`, policy.categoryQueues[c], `ops-category-queue-${c}`))}
              </tbody>
            </table>
            <p className={hint}>
              Where a handoff of the category goes when one is filed anyway (urgent, security or outage; a tier's own queue still comes first); empty: the
              built-in rule (engineering, security, billing, privacy or tier-2).
            </p>
          </div>
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
