// The parameters of the triage insights (days, category, language), one schema
// for the REST query (strict: a bad value is a 400 naming it) and the Insights
// page's URL (lenient: a bad value is ignored).
import { z } from "zod";
import { LANGUAGES } from "../domain/enums";
import { MAX_INSIGHT_DAYS, type TriageInsightsFilter } from "../domain/insights";
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
