import type { PlanTier, Priority } from "../../worker/domain/types";
import {
  deleteAccountCategory,
  hostedModelsAvailable,
  type OperationsPatch,
  operatingState,
  saveAccountCategory,
  updateOperations,
  waitingCounts,
} from "../../worker/http/dashboard";
import { ErrorView } from "../components/ErrorView";
import { OperationsPage } from "../components/operations/OperationsPage";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import type { FieldError } from "../lib/connectors";
import { formText } from "../lib/form";
import { boolField, intentAction, refuse } from "../lib/intent-action.server";
import {
  type AccountPolicy,
  BUILT_IN_CATEGORIES,
  DISABLEABLE_TOOL_IDS,
  HANDOFF_QUEUES,
  LANGUAGES,
  LIMIT_FIELDS,
  MIN_CONFIDENCE,
  type OperationsActionResponse,
  POLICY_PRIORITIES,
  POLICY_TIERS,
  type RoutingKey,
  SAMPLE_FIELDS,
  SLA_MINUTES,
} from "../lib/operations";
import type { Route } from "./+types/operations";

export const meta: Route.MetaFunction = () => [{ title: "Operations · Support Triage" }];

export async function loader({ context }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "admin");
  const env = envOf(context);
  try {
    const [state, waiting] = await Promise.all([operatingState(env, accountId), waitingCounts(env, accountId)]);
    return { state, waiting, models: hostedModelsAvailable(env) };
  } catch (err) {
    toRouteError(err);
  }
}

export const action = intentAction<OperationsActionResponse>({
  role: "admin",
  handlers: {
    killSwitch: async ({ env, user, accountId, text }) => {
      const on = boolField(text, "killSwitch");
      await updateOperations(env, user, accountId, { killSwitch: on });
      return on ? "Kill switch on: new tickets are held, running tasks stop before any external action" : "Kill switch off: triage resumes";
    },
    limits: async ({ env, user, accountId, form }) => {
      const current = await operatingState(env, accountId);
      const fields: FieldError[] = [];
      const patch: OperationsPatch = {};
      for (const f of LIMIT_FIELDS) {
        const n = parseNumber(form.get(f.key), f.key, { integer: true, min: f.min, max: f.max }, fields);
        if (n !== undefined && n !== current[f.key]) patch[f.key] = n;
      }
      if (fields.length) throw refuse(400, "Some limits are not valid", fields);
      if (!Object.keys(patch).length) return "No changes to save";
      await updateOperations(env, user, accountId, patch);
      return "Limits saved";
    },
    policy: async ({ env, user, accountId, form }) => {
      const fields: FieldError[] = [];
      const policy = parsePolicy(form, fields);
      if (!policy || fields.length) throw refuse(400, "The policy is not valid", fields);
      const current = await operatingState(env, accountId);
      // Categories and queues have forms of their own: this one keeps them as saved.
      const next = { ...current.policy, ...policy };
      if (sameJson(next, current.policy)) return "No changes to save";
      await updateOperations(env, user, accountId, { policy: next });
      return "Policy saved";
    },
    queues: async ({ env, user, accountId, text }) => {
      // Empty: no queue of the account's own; the server validates the names (fields "policy.languageQueues.de", …).
      const pick = <K extends string>(keys: readonly K[], prefix: string) =>
        Object.fromEntries(keys.map((k) => [k, text(`${prefix}.${k}`).trim()]).filter(([, q]) => q)) as Partial<Record<K, string>>;
      const current = await operatingState(env, accountId);
      const next = {
        ...current.policy,
        languageQueues: pick(LANGUAGES, "policy.languageQueues"),
        categoryQueues: pick(BUILT_IN_CATEGORIES, "policy.categoryQueues"),
      };
      if (sameJson(next, current.policy)) return "No changes to save";
      await updateOperations(env, user, accountId, { policy: next });
      return "Handoff queues saved";
    },
    category: async ({ env, user, accountId, text }) => {
      const originalId = text("originalId").trim() || null;
      const name = text("category.name").trim();
      await saveAccountCategory(env, user, accountId, originalId, {
        id: text("category.id").trim().toLowerCase(),
        name,
        description: text("category.description"),
        // One example per line; blank lines are spacing, not examples.
        examples: text("category.examples")
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean),
        handoffQueue: text("category.handoffQueue").trim() || null,
      });
      return originalId ? `Category "${name}" saved` : `Category "${name}" added`;
    },
    deleteCategory: async ({ env, user, accountId, text }) => {
      const id = text("id");
      await deleteAccountCategory(env, user, accountId, id);
      return `Category "${id}" deleted`;
    },
    draftingModel: async ({ env, user, accountId, text }) => {
      const current = await operatingState(env, accountId);
      // The server validates both (fields "policy.draftingModel.provider", "….workersAiModel") and refuses a model this Worker cannot use (409).
      const draftingModel = { provider: text("policy.draftingModel.provider"), workersAiModel: text("policy.draftingModel.workersAiModel").trim() };
      const next = { ...current.policy, draftingModel };
      if (sameJson(next, current.policy)) return "No changes to save";
      await updateOperations(env, user, accountId, { policy: next });
      return "Drafting model saved: it applies to the next drafting round";
    },
    samples: async ({ env, user, accountId, form }) => {
      const fields: FieldError[] = [];
      const [share, keepDays] = SAMPLE_FIELDS.map((f) =>
        parseNumber(form.get(f.path), f.path, { integer: f.key === "keepDays", min: f.min, max: f.max }, fields),
      );
      if (share === undefined || keepDays === undefined || fields.length) throw refuse(400, "The sample settings are not valid", fields);
      const current = await operatingState(env, accountId);
      const next = { ...current.policy, samples: { share, keepDays } };
      if (sameJson(next, current.policy)) return "No changes to save";
      await updateOperations(env, user, accountId, { policy: next });
      return `Samples saved: ${share} % of drafting rounds are kept for ${keepDays} days`;
    },
    freeze: async ({ env, user, accountId, text }) => {
      const on = boolField(text, "frozen");
      await updateOperations(env, user, accountId, { frozen: on });
      return on ? "Account frozen: read-only until unfrozen" : "Account unfrozen";
    },
  },
});

/**
 * A number from a form field, strictly: plain decimal digits (no "1e3", "0x10",
 * "Infinity" or empty string, which Number() would accept), within bounds.
 * Pushes a message for `path` and returns undefined when it is not.
 */
function parseNumber(
  raw: FormDataEntryValue | null,
  path: string,
  { integer, min, max }: { integer: boolean; min: number; max: number },
  fields: FieldError[],
): number | undefined {
  const s = typeof raw === "string" ? raw.trim() : "";
  const bad = (message: string) => {
    fields.push({ path, message });
    return undefined;
  };
  if (!s) return bad("required");
  if (!(integer ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)$/).test(s)) return bad(integer ? "expected a whole number" : "expected a number");
  const n = Number(s);
  if (!Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) return bad("number too large");
  if (n < min || n > max) return bad(`between ${min.toLocaleString("en-US")} and ${max.toLocaleString("en-US")}`);
  return n;
}

/** The policy form's part of the policy; field paths match the server's ("policy.sla.pro.urgent"). */
function parsePolicy(form: FormData, fields: FieldError[]): Omit<AccountPolicy, RoutingKey | "draftingModel" | "samples"> | undefined {
  const text = formText(form);
  const checked = (name: string) => form.get(name) === "true";
  const minutes = (path: string) => parseNumber(form.get(path), path, { integer: true, ...SLA_MINUTES }, fields) ?? 0;

  const tierBranch = (tier: PlanTier) => {
    const path = `policy.tiers.${tier}.handoffQueue`;
    const raw = text(path);
    let handoffQueue: AccountPolicy["tiers"][PlanTier]["handoffQueue"] = null;
    if (raw) {
      if ((HANDOFF_QUEUES as readonly string[]).includes(raw)) handoffQueue = raw as (typeof HANDOFF_QUEUES)[number];
      else fields.push({ path, message: `unknown queue "${raw}"` });
    }
    return { alwaysReview: checked(`policy.tiers.${tier}.alwaysReview`), handoffQueue };
  };
  const slaRow = (tier: PlanTier) => Object.fromEntries(POLICY_PRIORITIES.map((p) => [p, minutes(`policy.sla.${tier}.${p}`)])) as Record<Priority, number>;

  const disabledTools: AccountPolicy["disabledTools"] = [];
  for (const v of form.getAll("policy.disabledTools")) {
    if (typeof v !== "string") continue;
    const tool = DISABLEABLE_TOOL_IDS.find((t) => t === v);
    if (!tool) fields.push({ path: "policy.disabledTools", message: `unknown tool "${v}"` });
    else if (!disabledTools.includes(tool)) disabledTools.push(tool);
  }

  const tiers = Object.fromEntries(POLICY_TIERS.map((t) => [t, tierBranch(t)])) as AccountPolicy["tiers"];
  const sla = Object.fromEntries(POLICY_TIERS.map((t) => [t, slaRow(t)])) as AccountPolicy["sla"];
  const minConfidence = parseNumber(form.get("policy.autoSend.minConfidence"), "policy.autoSend.minConfidence", { integer: false, ...MIN_CONFIDENCE }, fields);
  const nearBreachMinutes = minutes("policy.nearBreachMinutes");
  if (fields.length || minConfidence === undefined) return undefined;
  return {
    tiers,
    sla,
    autoSend: { enabled: checked("policy.autoSend.enabled"), minConfidence },
    nearBreachMinutes,
    disabledTools: DISABLEABLE_TOOL_IDS.filter((t) => disabledTools.includes(t)),
  };
}

/** Deep equality of JSON values, ignoring key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export default function Operations({ loaderData, params }: Route.ComponentProps) {
  return (
    <OperationsPage
      key={params.account}
      accountId={params.account}
      state={loaderData.state}
      waiting={loaderData.waiting}
      models={loaderData.models}
      actionUrl={`/accounts/${encodeURIComponent(params.account)}/operations`}
    />
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
