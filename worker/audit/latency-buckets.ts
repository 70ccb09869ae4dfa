// The duration buckets of the latency rollup (D1 `tool_latency`) and
// percentiles read back from bucket counts. A bucket is named by its upper
// bound in ms and holds the durations above the previous bound up to it.
//
// Resolution: every whole millisecond is its own bucket up to 100 ms; above
// that each bound is the previous one × 1.04 rounded up, so a duration d lands
// in a bucket whose bound u satisfies d ≤ u ≤ 1.04 × d (durations are whole
// ms: u = ⌈1.04 × l⌉ ≤ 1.04 × (l + 1) ≤ 1.04 × d). The budgets (100 and 400 ms)
// are bounds themselves, so "over budget" is exact. Durations above the cap
// (10 minutes) count in the last bucket and read back as the cap.
import { DRAFT_BUDGET_MS, TOOL_CALL_BUDGET_MS } from "../domain/latency";

export const EXACT_UP_TO_MS = 100;
export const STEP = 1.04;
export const CAP_MS = 10 * 60 * 1000;

function bucketBounds(): number[] {
  const bounds: number[] = [];
  for (let ms = 0; ms <= EXACT_UP_TO_MS; ms++) bounds.push(ms);
  for (let ms = Math.ceil(EXACT_UP_TO_MS * STEP); ms < CAP_MS; ms = Math.ceil(ms * STEP)) bounds.push(ms);
  bounds.push(CAP_MS, TOOL_CALL_BUDGET_MS, DRAFT_BUDGET_MS);
  return [...new Set(bounds)].sort((a, b) => a - b);
}

/** Every bucket's upper bound, ascending (0, 1, 2, … 100, 104, 109, … 600000). */
export const BUCKET_BOUNDS: readonly number[] = bucketBounds();

/** The bucket (its upper bound) a duration counts in: the smallest bound at or above it. */
export function bucketOf(durationMs: number): number {
  if (!(durationMs > 0)) return 0;
  if (durationMs >= CAP_MS) return CAP_MS;
  let lo = 0;
  let hi = BUCKET_BOUNDS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BUCKET_BOUNDS[mid]! >= durationMs) hi = mid;
    else lo = mid + 1;
  }
  return BUCKET_BOUNDS[lo]!;
}

/** The bound below `bucket` (the bucket holds durations above it), or -1 for the first. */
function bucketFloor(bucket: number): number {
  const i = BUCKET_BOUNDS.indexOf(bucket);
  return i > 0 ? BUCKET_BOUNDS[i - 1]! : -1;
}

/** Calls per bucket, keyed by the bucket's upper bound. */
export type Histogram = ReadonlyMap<number, number>;

/**
 * Nearest-rank percentiles (p in 0–100] over a histogram: the bucket holding
 * the ⌈p/100 × n⌉-th smallest call, reported as its upper bound. Null for an
 * empty histogram.
 */
export function percentilesOf<P extends number>(histogram: Histogram, ps: readonly P[]): Record<P, number> | null {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => a - b);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const out = {} as Record<P, number>;
  for (const p of ps) {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (const [bound, n] of buckets) {
      seen += n;
      if (seen >= rank) {
        out[p] = bound;
        break;
      }
    }
  }
  return out;
}

/**
 * The floor under the `k` slowest calls: every one of them is above it (it is
 * the bound below the bucket the k-th slowest sits in). -1 when there are
 * fewer than k. Lets the slowest-calls query walk only the top of the index.
 */
export function floorOfSlowest(histogram: Histogram, k: number): number {
  const buckets = [...histogram.entries()].filter(([, n]) => n > 0).sort(([a], [b]) => b - a);
  let seen = 0;
  for (const [bound, n] of buckets) {
    seen += n;
    if (seen >= k) return bucketFloor(bound);
  }
  return -1;
}
