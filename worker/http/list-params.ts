// The query parameters of every list endpoint, parsed with one schema helper:
// `limit` is an integer from 1 to the endpoint's maximum, `cursor` is an
// opaque string the previous page returned, filters are their enums. Anything
// else is a 400 naming the parameter, never a silent "everything".
import { z } from "zod";
import { PLAN_TIERS, PRIORITIES, PROPOSAL_STATUSES } from "../domain/enums";
import { fieldErrors, HttpError } from "../domain/errors";

const MAX_LIMIT = 200;

const limit = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, `limit must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `limit must be a whole number from 1 to ${max}`).max(max, `limit must be a whole number from 1 to ${max}`))
    .default(fallback);

const cursor = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,400}$/, "cursor must be the nextCursor of a previous page")
  .optional();

/** Parses a URL's query against `shape`; unknown parameters are refused too. */
export function parseQuery<T extends z.ZodRawShape>(url: URL, shape: T): z.infer<z.ZodObject<T>> {
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (k in raw) throw new HttpError(400, "invalid query", { fields: [{ path: k, message: `${k} is given more than once` }] });
    raw[k] = v;
  }
  const parsed = z.object(shape).strict().safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid query", { fields: fieldErrors(parsed.error, "(query)") });
  return parsed.data;
}

/** `limit` and `cursor`, for endpoints that page. */
export const pageParams = (fallback = 50, max = MAX_LIMIT) => ({ limit: limit(fallback, max), cursor });

/** `days` for figures: a whole number from 1 to `max`. */
export const daysParam = (fallback: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `days must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `days must be a whole number from 1 to ${max}`).max(max, `days must be a whole number from 1 to ${max}`))
    .default(fallback);

/** The review queue's filters, shared by the REST list and the queue page. */
export const queueFilterParams = {
  status: z.enum(PROPOSAL_STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  tier: z.enum(PLAN_TIERS).optional(),
  category: z
    .string()
    // A built-in category or an account's own (a slug: it may start with a digit).
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "category must be a category name")
    .optional(),
  origin: z.enum(["help_desk", "mcp"]).optional(),
};
