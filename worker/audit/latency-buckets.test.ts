// The latency buckets and percentiles read back from their counts, against
// exact nearest-rank percentiles of the same durations.
import { describe, expect, it } from "vitest";
import { DRAFT_BUDGET_MS, TOOL_CALL_BUDGET_MS } from "../domain/latency";
import { BUCKET_BOUNDS, bucketOf, CAP_MS, EXACT_UP_TO_MS, floorOfSlowest, percentilesOf, STEP } from "./latency-buckets";

const PS = [50, 90, 95, 99, 100] as const;

/** The exact nearest-rank percentile: the ⌈p/100 × n⌉-th smallest value. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

function histogramOf(values: number[]): Map<number, number> {
  const h = new Map<number, number>();
  for (const v of values) h.set(bucketOf(v), (h.get(bucketOf(v)) ?? 0) + 1);
  return h;
}

/** Within the stated resolution: exact up to 100 ms, else never below and at most 4 % above. */
function expectWithinResolution(values: number[]) {
  const got = percentilesOf(histogramOf(values), PS)!;
  for (const p of PS) {
    const want = exact(values, p);
    if (want <= EXACT_UP_TO_MS) expect(got[p], `p${p}`).toBe(want);
    else {
      expect(got[p], `p${p}`).toBeGreaterThanOrEqual(want);
      expect(got[p], `p${p}`).toBeLessThanOrEqual(want * STEP);
    }
  }
}

/** A small seeded generator, so the "random" sets are the same on every run. */
function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe("latency buckets", () => {
  it("are every millisecond up to 100 ms, then steps of at most 4 %, with both budgets as bounds, up to 10 minutes", () => {
    expect(BUCKET_BOUNDS.slice(0, EXACT_UP_TO_MS + 1)).toEqual(Array.from({ length: EXACT_UP_TO_MS + 1 }, (_, i) => i));
    expect(BUCKET_BOUNDS).toContain(TOOL_CALL_BUDGET_MS);
    expect(BUCKET_BOUNDS).toContain(DRAFT_BUDGET_MS);
    expect(BUCKET_BOUNDS.at(-1)).toBe(CAP_MS);
    for (let i = EXACT_UP_TO_MS + 1; i < BUCKET_BOUNDS.length; i++) {
      expect(BUCKET_BOUNDS[i]!).toBeGreaterThan(BUCKET_BOUNDS[i - 1]!);
      // The widest duration in a bucket is the one just above the previous bound.
      expect(BUCKET_BOUNDS[i]! / (BUCKET_BOUNDS[i - 1]! + 1)).toBeLessThanOrEqual(STEP);
    }
    // Few enough that an hour of one tool is a few hundred rollup rows at most.
    expect(BUCKET_BOUNDS.length).toBeLessThan(400);
  });

  it("puts a duration in the smallest bucket at or above it", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(37)).toBe(37);
    expect(bucketOf(100)).toBe(100);
    expect(bucketOf(101)).toBe(104);
    expect(bucketOf(104)).toBe(104);
    expect(bucketOf(400)).toBe(400);
    expect(bucketOf(401)).toBeGreaterThan(400);
    expect(bucketOf(CAP_MS)).toBe(CAP_MS);
    expect(bucketOf(CAP_MS * 5)).toBe(CAP_MS);
    for (let ms = 1; ms < 200_000; ms += 997) {
      const b = bucketOf(ms);
      expect(b).toBeGreaterThanOrEqual(ms);
      expect(b).toBeLessThanOrEqual(Math.max(ms, ms * STEP));
    }
  });
});

describe("percentiles from bucket counts", () => {
  it("are exact for 1..100 ms", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentilesOf(histogramOf(values), [50, 95, 99])).toEqual({ 50: 50, 95: 95, 99: 99 });
    expectWithinResolution(values);
  });

  it("follow a skewed set with a slow tail within the resolution", () => {
    // 900 fast calls (5–40 ms), 90 slow (150–900 ms), 10 very slow (2–30 s).
    const rnd = seeded(14);
    const values = [
      ...Array.from({ length: 900 }, () => 5 + Math.floor(rnd() * 36)),
      ...Array.from({ length: 90 }, () => 150 + Math.floor(rnd() * 751)),
      ...Array.from({ length: 10 }, () => 2_000 + Math.floor(rnd() * 28_001)),
    ];
    expectWithinResolution(values);
    const got = percentilesOf(histogramOf(values), [50, 95, 99])!;
    expect(got[50]).toBeLessThanOrEqual(40);
    expect(got[95]).toBeGreaterThan(TOOL_CALL_BUDGET_MS);
    expect(got[99]).toBeGreaterThanOrEqual(exact(values, 99));
  });

  it("follow log-normal sets of every size within the resolution", () => {
    const rnd = seeded(7);
    for (const n of [1, 2, 3, 10, 99, 1_000, 20_000]) {
      const values = Array.from({ length: n }, () => {
        const normal = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
        return Math.round(Math.exp(3.5 + 1.2 * normal));
      });
      expectWithinResolution(values);
    }
  });

  it("report a duration beyond the cap as the cap, and nothing for no calls", () => {
    expect(percentilesOf(histogramOf([5, CAP_MS * 3]), [50, 100])).toEqual({ 50: 5, 100: CAP_MS });
    expect(percentilesOf(new Map(), [50])).toBeNull();
    expect(percentilesOf(new Map([[20, 0]]), [50])).toBeNull();
  });
});

describe("the floor under the slowest calls", () => {
  it("has every one of the k slowest above it, and -1 when there are fewer than k", () => {
    const rnd = seeded(3);
    const values = Array.from({ length: 500 }, () => Math.floor(rnd() * 5_000));
    const floor = floorOfSlowest(histogramOf(values), 10);
    const slowest = [...values].sort((a, b) => b - a).slice(0, 10);
    expect(slowest.every((v) => v > floor)).toBe(true);
    // It is tight: only the k-th slowest's bucket mates can be above it besides them.
    expect(values.filter((v) => v > floor).length).toBeLessThan(10 + 20);
    expect(floorOfSlowest(histogramOf([1, 2, 3]), 10)).toBe(-1);
    expect(floorOfSlowest(histogramOf([0, 0, 0]), 2)).toBe(-1);
  });
});
