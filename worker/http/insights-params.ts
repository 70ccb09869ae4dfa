// The parameters of the triage insights (days, category, language) and of the
// latency window (24h, 7d), one schema for the REST query (strict: a bad value
// is a 400 naming it) and the Insights page's URL (lenient: a bad value is
// ignored).
import { z } from "zod";
import { LANGUAGES } from "../domain/enums";
import { MAX_INSIGHT_DAYS, type TriageInsightsFilter } from "../domain/insights";
import { LATENCY_WINDOWS, type LatencyWindow } from "../domain/latency";
import { daysParam } from "./list-params";

export const triageInsightsQuery = {
  days: daysParam(30, MAX_INSIGHT_DAYS),
  // Accounts may have categories of their own: any category name, not only CATEGORIES.
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, "category must be a category name (lower-case letters, digits, - or _)")
    .optional(),
  language: z.enum(LANGUAGES, { error: `language must be one of ${LANGUAGES.join(", ")}` }).optional(),
};

/** The page's filters from its URL: a value that is not valid is ignored (the API refuses it instead). */
export function insightsFilterFromUrl(url: URL): TriageInsightsFilter {
  const filter: TriageInsightsFilter = { days: 30 };
  for (const key of ["days", "category", "language"] as const) {
    const raw = url.searchParams.get(key);
    if (raw === null || raw === "") continue;
    const parsed = triageInsightsQuery[key].safeParse(raw);
    if (parsed.success && parsed.data !== undefined) Object.assign(filter, { [key]: parsed.data });
  }
  return filter;
}

const latencyWindow = z.enum(LATENCY_WINDOWS, { error: `window must be one of ${LATENCY_WINDOWS.join(", ")}` });

/** GET …/insights/latency: `?window=24h|7d` (24h when absent). */
export const latencyQuery = { window: latencyWindow.default("24h") };

/** The page's latency window from `?latency=` (beside the triage filters); anything else is the last 24 hours. */
export function latencyWindowFromUrl(url: URL): LatencyWindow {
  const parsed = latencyWindow.safeParse(url.searchParams.get("latency"));
  return parsed.success ? parsed.data : "24h";
}
