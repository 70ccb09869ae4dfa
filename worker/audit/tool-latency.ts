// The read side of tail latency (Insights → Latency and
// GET /api/accounts/:account/insights/latency): percentiles per tool and for
// the whole draft from the hourly rollup (`tool_latency`: a few rows per tool
// and hour, however many calls were logged), and the slowest calls of the
// window from the log itself through its (account_id, duration_ms) index.
import { and, desc, eq, gt, gte, inArray, ne, sql } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { budgetFor, DRAFT_TOOL, LATENCY_WINDOW_HOURS, type LatencyReport, type LatencyRow, type LatencyWindow, type SlowCall } from "../domain/latency";
import { CAP_MS, EXACT_UP_TO_MS, floorOfSlowest, type Histogram, percentilesOf, STEP } from "./latency-buckets";

const SLOWEST = 10;
/** Index entries the slowest-calls read walks at most (see `slowestCalls`). */
export const SLOWEST_SCAN = 5_000;
const HOUR_MS = 3_600_000;

/** The window's first hour (`YYYY-MM-DDTHH`, UTC): the hour `window` ago, so the window is the last 24 h (7 d) to the hour. */
function sinceHour(window: LatencyWindow, now: number): string {
  return new Date(now - LATENCY_WINDOW_HOURS[window] * HOUR_MS).toISOString().slice(0, 13);
}

export async function toolLatencyReport(env: Env, accountId: string, window: LatencyWindow, now = Date.now()): Promise<LatencyReport> {
  const db = getDb(env);
  const t = schema.toolLatency;
  const hour = sinceHour(window, now);
  const buckets = await db
    .select({ tool: t.tool, bucket: t.bucket, calls: sql<number>`sum(${t.calls})`, errors: sql<number>`sum(${t.errors})` })
    .from(t)
    .where(and(eq(t.accountId, accountId), gte(t.hour, hour)))
    .groupBy(t.tool, t.bucket);

  const byTool = new Map<string, { histogram: Map<number, number>; errors: number }>();
  const toolCalls = new Map<number, number>();
  for (const b of buckets) {
    const entry = byTool.get(b.tool) ?? byTool.set(b.tool, { histogram: new Map(), errors: 0 }).get(b.tool)!;
    entry.histogram.set(b.bucket, b.calls);
    entry.errors += b.errors;
    if (b.tool !== DRAFT_TOOL) toolCalls.set(b.bucket, (toolCalls.get(b.bucket) ?? 0) + b.calls);
  }
  const rows = [...byTool.entries()].flatMap(([tool, { histogram, errors }]) => rowOf(tool, histogram, errors) ?? []);
  const since = `${hour}:00:00.000Z`;
  return {
    window,
    since,
    tools: rows.filter((r) => r.tool !== DRAFT_TOOL).sort((a, b) => a.tool.localeCompare(b.tool)),
    draft: rows.find((r) => r.tool === DRAFT_TOOL) ?? null,
    ...(await slowest(env, accountId, since, toolCalls)),
    resolution: { exactUpToMs: EXACT_UP_TO_MS, stepPercent: Math.round((STEP - 1) * 100), capMs: CAP_MS },
  };
}

/** The report's slowest calls, from the window's tool-call histogram (whole drafts left out). */
async function slowest(env: Env, accountId: string, since: string, toolCalls: Histogram): Promise<Pick<LatencyReport, "slowest" | "slowestPartial">> {
  if (toolCalls.size === 0) return { slowest: [], slowestPartial: false };
  const floor = floorOfSlowest(toolCalls, SLOWEST);
  let aboveFloor = 0;
  for (const [bucket, n] of toolCalls) if (bucket > floor) aboveFloor += n;
  const { calls, partial } = await slowestCalls(env, accountId, since, floor, aboveFloor);
  return { slowest: calls, slowestPartial: partial };
}

function rowOf(tool: string, histogram: Histogram, errors: number): LatencyRow | null {
  const p = percentilesOf(histogram, [50, 95, 99]);
  if (!p) return null;
  const calls = [...histogram.values()].reduce((sum, n) => sum + n, 0);
  return { tool, calls, errors, errorRate: errors / calls, p50: p[50], p95: p[95], p99: p[99], budgetMs: budgetFor(tool) };
}

/**
 * The slowest tool calls (not whole drafts) since `since`, slowest first, and
 * whether that list may be short. The (account_id, duration_ms) index is
 * walked from the slowest down above `floor` (from the rollup: the window's
 * ten slowest tool calls are all above it), but only its first
 * `SLOWEST_SCAN` entries: the index knows neither the time nor the tool, so
 * older calls and whole drafts above the floor are walked past too, and
 * without a bound an account with months of slow history (or slow hosted
 * model drafts) would walk them all. The walk reads the index alone; only
 * the rows it keeps are looked up (created_at, tool, outcome, error).
 *
 * Every call found is slower than every call not walked, so the list is the
 * window's slowest; it is short (`partial`) only when fewer were found than
 * the rollup says the window has above the floor.
 */
async function slowestCalls(env: Env, accountId: string, since: string, floor: number, aboveFloor: number): Promise<{ calls: SlowCall[]; partial: boolean }> {
  const db = getDb(env);
  const l = schema.toolInvocations;
  const walked = db
    .select({ id: l.id })
    .from(l)
    .where(and(eq(l.accountId, accountId), gt(l.durationMs, floor)))
    .orderBy(desc(l.durationMs))
    .limit(SLOWEST_SCAN)
    .as("walked");
  const rows = await db
    .select({
      id: l.id,
      taskId: l.taskId,
      tool: l.tool,
      durationMs: l.durationMs,
      outcome: l.outcome,
      // Only the message: an output may be large.
      error: sql<string | null>`case when ${l.outcome} = 'error' then substr(json_extract(${l.output}, '$.error'), 1, 300) end`,
      at: l.createdAt,
    })
    .from(walked)
    .innerJoin(l, eq(l.id, walked.id))
    .where(and(gte(l.createdAt, since), inArray(l.outcome, ["ok", "error"]), ne(l.tool, DRAFT_TOOL)))
    .orderBy(desc(l.durationMs), desc(l.id))
    .limit(SLOWEST);
  const calls = rows.map((r) => ({ ...r, outcome: r.outcome as SlowCall["outcome"], error: r.error === null ? null : String(r.error) }));
  return { calls, partial: calls.length < Math.min(SLOWEST, aboveFloor) };
}
