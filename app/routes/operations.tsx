import { data } from "react-router";
import { formText, pickIntent, readFormData } from "../lib/form";
import type { Route } from "./+types/operations";
import { operatingState, updateOperations, type OperationsPatch } from "../../worker/operations/settings";
import { HttpError } from "../../worker/lib/http";
import type { PlanTier, Priority } from "../../worker/types";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import { waitingCounts } from "../lib/escalations.server";
import type { FieldError } from "../lib/connectors";
import {
  DISABLEABLE_TOOL_IDS,
  HANDOFF_QUEUES,
  LIMIT_FIELDS,
  MIN_CONFIDENCE,
  OPERATIONS_INTENTS,
  POLICY_PRIORITIES,
  POLICY_TIERS,
  SLA_MINUTES,
  type AccountPolicy,
  type OperationsActionResponse,
  type OperationsIntent,
} from "../lib/operations";
import { OperationsPage } from "../components/OperationsPage";
import { ErrorView } from "../components/ErrorView";

export const meta: Route.MetaFunction = () => [{ title: "Operations · Support Triage" }];

export async function loader({ context }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "admin");
  const env = envOf(context);
  try {
    const [state, waiting] = await Promise.all([operatingState(env, accountId), waitingCounts(env, accountId)]);
    return { state, waiting };
  } catch (err) {
    toRouteError(err);
  }
}

export async function action({ context, request }: Route.ActionArgs) {
  const { user, accountId } = accountAccess(context, "admin");
  const env = envOf(context);
  const form = await readFormData(request);
  const text = formText(form);
  const { intent, raw: rawIntent } = pickIntent<OperationsIntent>(text, OPERATIONS_INTENTS);
  const fail = (status: number, error: string, fields: FieldError[] = []) =>
    data<OperationsActionResponse>({ ok: false, intent, error, fields }, { status });
  const done = (message: string) => data<OperationsActionResponse>({ ok: true, intent, message });

  if (!intent) return fail(400, `unknown intent "${rawIntent}"`, [{ path: "intent", message: `expected ${OPERATIONS_INTENTS.join(", ")}` }]);

  const fields: FieldError[] = [];
  const bool = (name: string): boolean | undefined => {
    const raw = text(name);
    if (raw === "true" || raw === "false") return raw === "true";
    fields.push({ path: name, message: "expected true or false" });
    return undefined;
  };

  try {
    let patch: OperationsPatch;
    let message: string;
    switch (intent) {
      case "killSwitch": {
        const on = bool("killSwitch");
        if (on === undefined) return fail(400, "invalid request", fields);
        patch = { killSwitch: on };
        message = on ? "Kill switch on: new tickets are held, running tasks stop before any external action" : "Kill switch off: triage resumes";
        break;
      }
      case "freeze": {
        const on = bool("frozen");
        if (on === undefined) return fail(400, "invalid request", fields);
        patch = { frozen: on };
        message = on ? "Account frozen: read-only until unfrozen" : "Account unfrozen";
        break;
      }
      case "limits": {
        const current = await operatingState(env, accountId);
        patch = {};
        for (const f of LIMIT_FIELDS) {
          const n = parseNumber(form.get(f.key), f.key, { integer: true, min: f.min, max: f.max }, fields);
          if (n !== undefined && n !== current[f.key]) patch[f.key] = n;
        }
        if (fields.length) return fail(400, "Some limits are not valid", fields);
        if (!Object.keys(patch).length) return done("No changes to save");
        message = "Limits saved";
        break;
      }
      case "policy": {
        const policy = parsePolicy(form, fields);
        if (!policy || fields.length) return fail(400, "The policy is not valid", fields);
        const current = await operatingState(env, accountId);
        if (sameJson(policy, current.policy)) return done("No changes to save");
        patch = { policy };
        message = "Policy saved";
        break;
      }
    }
    await updateOperations(env, user, accountId, patch);
    return done(message);
  } catch (err) {
    if (err instanceof HttpError) {
      return fail(err.status, err.message, err.fields);
    }
    throw err;
  }
}

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

/** The whole policy from the form; field paths match the server's ("policy.sla.pro.urgent"). */
function parsePolicy(form: FormData, fields: FieldError[]): AccountPolicy | undefined {
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
  const slaRow = (tier: PlanTier) =>
    Object.fromEntries(POLICY_PRIORITIES.map((p) => [p, minutes(`policy.sla.${tier}.${p}`)])) as Record<Priority, number>;

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
      actionUrl={`/accounts/${encodeURIComponent(params.account)}/operations`}
    />
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
