// Tail latency (Insights → Latency, GET /api/accounts/:account/insights/latency):
// the budgets the product promises, the windows, and the report's shape. No
// runtime imports: the Insights page's browser bundle uses this file too.

/** Every tool call should answer within this. */
export const TOOL_CALL_BUDGET_MS = 100;
/** A whole drafting round (model and tools) should finish within this. */
export const DRAFT_BUDGET_MS = 400;
/** The tool-log name of a whole drafting round (one row per round, beside its tool calls). */
export const DRAFT_TOOL = "draft";

export const LATENCY_WINDOWS = ["24h", "7d"] as const;
export type LatencyWindow = (typeof LATENCY_WINDOWS)[number];
export const LATENCY_WINDOW_HOURS: Record<LatencyWindow, number> = { "24h": 24, "7d": 7 * 24 };

export const budgetFor = (tool: string) => (tool === DRAFT_TOOL ? DRAFT_BUDGET_MS : TOOL_CALL_BUDGET_MS);

/** One tool (or the whole draft) over the window. Percentiles in ms: a bucket's upper bound (see `resolution`). */
export interface LatencyRow {
  tool: string;
  /** Calls that ran (ok or error); refused and skipped calls did no work and are not timed. */
  calls: number;
  errors: number;
  /** errors / calls, 0 to 1. */
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
  budgetMs: number;
}

/** One of the slowest tool calls of the window. */
export interface SlowCall {
  id: number;
  taskId: string | null;
  tool: string;
  durationMs: number;
  outcome: "ok" | "error";
  /** The error's message (cut to 300 characters), for a failed call. */
  error: string | null;
  at: string;
}

export interface LatencyReport {
  window: LatencyWindow;
  /** Start of the window (ISO, on the hour, UTC): the hour `window` ago; the window ends now. */
  since: string;
  /** Per tool, by name. */
  tools: LatencyRow[];
  /** The whole drafting round; null when no round ran in the window. */
  draft: LatencyRow | null;
  /** The window's slowest tool calls (whole drafts left out), slowest first, at most 10. */
  slowest: SlowCall[];
  /**
   * True when `slowest` holds fewer than the window has: the read walks a
   * bounded stretch of the slowest logged calls, and older or whole-draft
   * calls slower than the window's filled it (see worker/audit/tool-latency.ts).
   */
  slowestPartial: boolean;
  /** How exact the percentiles are (worker/audit/latency-buckets.ts). */
  resolution: { exactUpToMs: number; stepPercent: number; capMs: number };
}

export const overBudget = (ms: number, row: Pick<LatencyRow, "budgetMs">) => ms > row.budgetMs;
