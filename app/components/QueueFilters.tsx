import { Form, Link } from "react-router";
import { byUrgency, CATEGORIES, PRIORITIES } from "../../worker/domain/enums";
import type { QueueFilter } from "../../worker/domain/types";
import { POLICY_TIERS } from "../lib/operations";

const select =
  "h-6 w-full min-w-0 rounded border border-neutral-300 bg-white px-1 text-[11px] text-neutral-800 outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200";

const OPTIONS: { name: keyof QueueFilter; label: string; values: { value: string; label: string }[] }[] = [
  {
    name: "status",
    label: "Status",
    values: [
      { value: "awaiting_review", label: "Awaiting review" },
      { value: "drafting", label: "Drafting" },
      { value: "sending", label: "Sending" },
    ],
  },
  { name: "priority", label: "Priority", values: byUrgency(PRIORITIES).map((v) => ({ value: v, label: v })) },
  { name: "tier", label: "Tier", values: POLICY_TIERS.map((v) => ({ value: v, label: v })) },
  { name: "category", label: "Category", values: [] },
  {
    name: "origin",
    label: "Origin",
    values: [
      { value: "help_desk", label: "Help desk" },
      { value: "mcp", label: "MCP client" },
    ],
  },
];

export const FILTER_FIRST_ID = "queue-filter-status";

/**
 * The queue's filters as a GET form: the URL holds them, so a filtered view
 * can be reloaded or shared. Changing one applies it at once.
 */
export function QueueFilters({ filter, categories }: { filter: QueueFilter; categories: { id: string; name: string }[] }) {
  const active = Object.values(filter).some(Boolean);
  // The built-in categories, then the account's own (by name; the value is the id).
  const categoryValues = [...CATEGORIES.map((v) => ({ value: v, label: v })), ...categories.map((c) => ({ value: c.id, label: c.name }))];
  return (
    <Form
      method="get"
      role="search"
      aria-label="Filter the queue"
      className="grid grid-cols-3 items-center gap-1 border-b border-neutral-200 px-3 py-1.5"
      data-testid="queue-filters"
      onChange={(e) => e.currentTarget.requestSubmit()}
    >
      {OPTIONS.map((o) => (
        <label key={o.name} className="min-w-0">
          <span className="sr-only">{o.label}</span>
          <select id={`queue-filter-${o.name}`} name={o.name} defaultValue={filter[o.name] ?? ""} className={select} data-testid={`queue-filter-${o.name}`}>
            <option value="">{o.label}: any</option>
            {(o.name === "category" ? categoryValues : o.values).map((v) => (
              <option key={v.value} value={v.value}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <noscript>
        <button type="submit" className={select}>
          Apply
        </button>
      </noscript>
      {active ? (
        <Link
          to={{ search: "" }}
          className="text-center text-[11px] text-neutral-500 underline-offset-2 hover:text-neutral-900 hover:underline"
          data-testid="queue-filters-clear"
        >
          Clear
        </Link>
      ) : null}
    </Form>
  );
}
