// The account's own categories: a list of saved ones (each editable and
// deletable in place) and a form to add one. Every form has its own fetcher,
// so a refused save shows its field messages beside that form only.
import { useEffect, useRef } from "react";
import { useFetcher } from "react-router";
import { inputClass, primaryButton, secondaryButton } from "../../lib/connectors";
import { ACCOUNT_CATEGORY_LIMITS, type AccountPolicy, type OperationsActionResponse } from "../../lib/operations";
import { ActionStatus, FieldMessage } from "../ActionStatus";
import { Card } from "./Card";
import { hint } from "./styles";

type AccountCategory = AccountPolicy["categories"][number];

/** The fields shown beside their inputs (a message for the whole category shows in the status). */
const CATEGORY_FIELDS = ["category.id", "category.name", "category.description", "category.examples", "category.handoffQueue"];

interface Props {
  policy: AccountPolicy;
  actionUrl: string;
  frozen: boolean;
  /** Queue names to suggest (datalist id). */
  queuesListId: string;
}

/** Add, edit and delete the account's own categories; the offline classifier learns them from the examples, a hosted model from the descriptions. */
export function CategoriesSection({ policy, actionUrl, frozen, queuesListId }: Props) {
  const { categories } = policy;
  const full = categories.length >= ACCOUNT_CATEGORY_LIMITS.maxCategories;
  return (
    <Card
      id="ops-categories"
      title="Categories"
      aside={<span className="text-[11px] text-neutral-500">{`${categories.length} of ${ACCOUNT_CATEGORY_LIMITS.maxCategories}`}</span>}
    >
      <p className={hint}>
        Categories of your own, besides the built-in ones. The offline model learns each from its example phrases (any language; a ticket must be clearly like
        them); a hosted model chooses by the description. Tickets of a category with a handoff queue are all handed off to it. Filter the review queue by them
        like any category.
      </p>
      {categories.length ? (
        <ul className="divide-y divide-neutral-100 rounded-md border border-neutral-200" data-testid="ops-categories-list">
          {categories.map((c) => (
            <li key={c.id} data-testid={`ops-category-${c.id}`}>
              <details className="group">
                <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-0.5 px-3 py-2 text-[13px]">
                  <span className="font-medium text-neutral-900" data-testid="ops-category-name">
                    {c.name}
                  </span>
                  <code className="font-mono text-[11px] text-neutral-500">{c.id}</code>
                  <span className="text-[11px] text-neutral-500">
                    {c.examples.length} example{c.examples.length === 1 ? "" : "s"} · {c.handoffQueue ? `handoff to ${c.handoffQueue}` : "no queue of its own"}
                  </span>
                </summary>
                <div className="space-y-3 border-t border-neutral-100 px-3 py-3">
                  <CategoryForm category={c} actionUrl={actionUrl} frozen={frozen} queuesListId={queuesListId} />
                  <DeleteCategory id={c.id} name={c.name} actionUrl={actionUrl} frozen={frozen} />
                </div>
              </details>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-xs text-neutral-500" data-testid="ops-categories-empty">
          No categories of your own yet: tickets get the built-in ones.
        </p>
      )}
      <div className="space-y-2 rounded-md border border-dashed border-neutral-300 px-3 py-3">
        <h3 className="text-[13px] font-medium text-neutral-900">Add a category</h3>
        {full ? (
          <p className={hint}>This account has the most categories it can have: delete one to add another.</p>
        ) : (
          <CategoryForm category={null} actionUrl={actionUrl} frozen={frozen} queuesListId={queuesListId} />
        )}
      </div>
    </Card>
  );
}

/** One category's fields; `category` null adds a new one (the form clears once it is saved). */
function CategoryForm({
  category,
  actionUrl,
  frozen,
  queuesListId,
}: {
  category: AccountCategory | null;
  actionUrl: string;
  frozen: boolean;
  queuesListId: string;
}) {
  const fetcher = useFetcher<OperationsActionResponse>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const fields = fetcher.data && !fetcher.data.ok ? fetcher.data.fields : undefined;
  const error = (path: string) => fields?.find((f) => f.path === path)?.message;
  const prefix = `ops-category-${category?.id ?? "new"}`;
  const saved = fetcher.state === "idle" && fetcher.data?.ok;
  useEffect(() => {
    if (saved && !category) form.current?.reset();
  }, [saved, category]);

  const described = (name: string) => (error(`category.${name}`) ? `${prefix}-${name}-error` : undefined);
  return (
    <fetcher.Form
      ref={form}
      method="post"
      action={actionUrl}
      noValidate
      aria-label={category ? `Edit category ${category.name}` : "Add a category"}
      className="space-y-3"
    >
      <input type="hidden" name="intent" value="category" />
      <input type="hidden" name="originalId" value={category?.id ?? ""} />
      <fieldset disabled={frozen || busy} className="grid gap-3 md:grid-cols-2">
        <div className="min-w-0">
          <label htmlFor={`${prefix}-name`} className="block text-[11px] font-medium text-neutral-600">
            Name
          </label>
          <input
            id={`${prefix}-name`}
            name="category.name"
            defaultValue={category?.name ?? ""}
            maxLength={ACCOUNT_CATEGORY_LIMITS.name}
            aria-invalid={error("category.name") ? true : undefined}
            aria-describedby={described("name")}
            data-testid={`${prefix}-name`}
            className={`${inputClass} mt-0.5`}
          />
          <FieldMessage id={`${prefix}-name-error`} message={error("category.name")} />
        </div>
        <div className="min-w-0">
          <label htmlFor={`${prefix}-id`} className="block text-[11px] font-medium text-neutral-600">
            Id
          </label>
          <input
            id={`${prefix}-id`}
            name="category.id"
            defaultValue={category?.id ?? ""}
            placeholder="e.g. csv-import"
            aria-invalid={error("category.id") ? true : undefined}
            aria-describedby={described("id") ?? `${prefix}-id-hint`}
            data-testid={`${prefix}-id`}
            className={`${inputClass} mt-0.5 font-mono`}
          />
          <FieldMessage id={`${prefix}-id-error`} message={error("category.id")} />
          <p id={`${prefix}-id-hint`} className={`${hint} mt-0.5`}>
            2 to 32 lowercase letters, digits and hyphens; what filters and the API show.
          </p>
        </div>
        <div className="min-w-0 md:col-span-2">
          <label htmlFor={`${prefix}-description`} className="block text-[11px] font-medium text-neutral-600">
            Description
          </label>
          <textarea
            id={`${prefix}-description`}
            name="category.description"
            defaultValue={category?.description ?? ""}
            rows={2}
            maxLength={ACCOUNT_CATEGORY_LIMITS.description}
            aria-invalid={error("category.description") ? true : undefined}
            aria-describedby={described("description")}
            data-testid={`${prefix}-description`}
            className={`${inputClass} mt-0.5 h-auto py-1.5`}
          />
          <FieldMessage id={`${prefix}-description-error`} message={error("category.description")} />
        </div>
        <div className="min-w-0">
          <label htmlFor={`${prefix}-examples`} className="block text-[11px] font-medium text-neutral-600">
            Example phrases, one per line
          </label>
          <textarea
            id={`${prefix}-examples`}
            name="category.examples"
            defaultValue={category?.examples.join("\n") ?? ""}
            rows={4}
            aria-invalid={error("category.examples") ? true : undefined}
            aria-describedby={described("examples") ?? `${prefix}-examples-hint`}
            data-testid={`${prefix}-examples`}
            className={`${inputClass} mt-0.5 h-auto py-1.5`}
          />
          <FieldMessage id={`${prefix}-examples-error`} message={error("category.examples")} />
          <p id={`${prefix}-examples-hint`} className={`${hint} mt-0.5`}>
            1 to {ACCOUNT_CATEGORY_LIMITS.maxExamples}, each up to {ACCOUNT_CATEGORY_LIMITS.example} characters, in any language: write them like real tickets.
          </p>
        </div>
        <div className="min-w-0">
          <label htmlFor={`${prefix}-queue`} className="block text-[11px] font-medium text-neutral-600">
            Handoff queue
          </label>
          <input
            id={`${prefix}-queue`}
            name="category.handoffQueue"
            defaultValue={category?.handoffQueue ?? ""}
            list={queuesListId}
            placeholder="none"
            aria-invalid={error("category.handoffQueue") ? true : undefined}
            aria-describedby={described("handoffQueue") ?? `${prefix}-queue-hint`}
            data-testid={`${prefix}-queue`}
            className={`${inputClass} mt-0.5 font-mono`}
          />
          <FieldMessage id={`${prefix}-handoffQueue-error`} message={error("category.handoffQueue")} />
          <p id={`${prefix}-queue-hint`} className={`${hint} mt-0.5`}>
            A built-in queue or your own name. Empty: the language queue or the built-in rule decides.
          </p>
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButton} disabled={frozen || busy} data-testid={`${prefix}-save`}>
          {busy ? "Saving…" : category ? "Save category" : "Add category"}
        </button>
        <ActionStatus response={fetcher.data} busy={busy} shownFields={CATEGORY_FIELDS} testId={`${prefix}-status`} />
      </div>
    </fetcher.Form>
  );
}

function DeleteCategory({ id, name, actionUrl, frozen }: { id: string; name: string; actionUrl: string; frozen: boolean }) {
  const fetcher = useFetcher<OperationsActionResponse>();
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" action={actionUrl} aria-label={`Delete category ${name}`} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="intent" value="deleteCategory" />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className={secondaryButton} disabled={frozen || busy} data-testid={`ops-category-${id}-delete`}>
        {busy ? "Deleting…" : "Delete category"}
      </button>
      <span className={hint}>Tickets already given it keep it; new ones get the built-in categories.</span>
      <ActionStatus response={fetcher.data} busy={busy} testId={`ops-category-${id}-delete-status`} />
    </fetcher.Form>
  );
}
