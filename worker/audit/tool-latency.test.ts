// Tail latency end to end in D1: calls logged through the tool log's one
// writer (which keeps the hourly rollup), read back as percentiles per tool
// and for the whole draft, with the slowest calls of the window.
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, OTHER_ACCOUNT } from "../../test/fixtures";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import { DRAFT_BUDGET_MS, DRAFT_TOOL, TOOL_CALL_BUDGET_MS } from "../domain/latency";
import { STEP } from "./latency-buckets";
import { SLOWEST_SCAN, toolLatencyReport } from "./tool-latency";
import { deleteOldToolLog, TOOL_LOG_KEEP_DAYS, type ToolLogEntry, toolLogInserts } from "./tool-log";

const db = getDb(env);
const HOUR = 3_600_000;
/** The report's "now": half past an hour, so the windows start on known hours. */
const NOW = Date.parse("2026-11-30T12:30:00.000Z");
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();

let taskNo = 0;
function call(tool: string, durationMs: number, when: string, more: Partial<ToolLogEntry> = {}): ToolLogEntry {
  return { accountId: ACCOUNT, taskId: `t_${++taskNo}`, tool, input: {}, outcome: "ok", output: { ok: true }, durationMs, createdAt: when, ...more };
}

async function log(entries: ToolLogEntry[]) {
  const statements = toolLogInserts(db, entries);
  await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
}

/** The exact nearest-rank percentile. */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

describe("tail latency from the tool log", () => {
  // A different account per test keeps them apart (the database lives for the whole file).
  it("gives p50/p95/p99, error rate and calls per tool and for the whole draft, against the budgets", async () => {
    const account = "latency-known";
    const lookups = Array.from({ length: 100 }, (_, i) => i + 1);
    // A skewed set: mostly fast, a slow tail, two errors among the slow ones.
    const searches = [...Array.from({ length: 90 }, (_, i) => 10 + (i % 30)), ...Array.from({ length: 8 }, (_, i) => 150 + 100 * i), 4_000, 12_345];
    const drafts = [120, 250, 310, 380, 390, 420, 800, 950, 2_500, 3_000];
    await log([
      ...lookups.map((ms) => call("lookup_entitlement", ms, at(1), { accountId: account })),
      ...searches.map((ms, i) =>
        call("search_knowledge", ms, at(2), { accountId: account, ...(i >= 98 ? { outcome: "error", output: { error: "index unavailable" } } : {}) }),
      ),
      ...drafts.map((ms) => call(DRAFT_TOOL, ms, at(3), { accountId: account })),
      // Refused and skipped calls did no work: not timed.
      call("lookup_entitlement", 5_000, at(1), { accountId: account, outcome: "denied" }),
      call("file_handoff", 0, at(1), { accountId: account, outcome: "skipped" }),
    ]);
    const report = await toolLatencyReport(env, account, "24h", NOW);
    expect(report.window).toBe("24h");
    expect(report.tools.map((t) => t.tool)).toEqual(["lookup_entitlement", "search_knowledge"]);
    const [lookup, search] = report.tools;
    expect(lookup).toEqual({ tool: "lookup_entitlement", calls: 100, errors: 0, errorRate: 0, p50: 50, p95: 95, p99: 99, budgetMs: TOOL_CALL_BUDGET_MS });
    expect(search).toMatchObject({ calls: 100, errors: 2, errorRate: 0.02, budgetMs: TOOL_CALL_BUDGET_MS });
    for (const p of [50, 95, 99] as const) {
      expect(search![`p${p}`]).toBeGreaterThanOrEqual(exact(searches, p));
      expect(search![`p${p}`]).toBeLessThanOrEqual(exact(searches, p) * STEP);
    }
    expect(search!.p50).toBeLessThan(TOOL_CALL_BUDGET_MS);
    expect(search!.p99).toBeGreaterThan(TOOL_CALL_BUDGET_MS);
    expect(report.draft).toMatchObject({ tool: DRAFT_TOOL, calls: 10, errors: 0, budgetMs: DRAFT_BUDGET_MS });
    // p50 of the drafts is the 5th smallest (390 ms: under budget), p95 the 10th (3 s).
    expect(report.draft!.p50).toBeGreaterThanOrEqual(390);
    expect(report.draft!.p50).toBeLessThanOrEqual(DRAFT_BUDGET_MS);
    expect(report.draft!.p95).toBeGreaterThanOrEqual(3_000);
    expect(report.draft!.p95).toBeLessThanOrEqual(3_000 * STEP);
    expect(report.resolution).toEqual({ exactUpToMs: 100, stepPercent: 4, capMs: 600_000 });
  });

  it("adds up across batches and writes batches larger than one statement's parameters", async () => {
    const account = "latency-batches";
    // 150 distinct durations in one batch: 15 log inserts and 10 rollup upserts, each within D1's 100 parameters.
    const durations = Array.from({ length: 150 }, (_, i) => i * 7);
    await log(durations.map((ms) => call("read_ticket", ms, at(1), { accountId: account })));
    await log(durations.map((ms) => call("read_ticket", ms, at(1), { accountId: account, outcome: "error", output: { error: "x" } })));
    const rollup = await db.select().from(schema.toolLatency).where(eq(schema.toolLatency.accountId, account));
    expect(rollup.reduce((n, r) => n + r.calls, 0)).toBe(300);
    expect(rollup.every((r) => r.calls === 2 * r.errors)).toBe(true);
    expect(rollup.every((r) => r.hour === at(1).slice(0, 13))).toBe(true);
    const [row] = (await toolLatencyReport(env, account, "24h", NOW)).tools;
    expect(row).toMatchObject({ tool: "read_ticket", calls: 300, errors: 150, errorRate: 0.5 });
    expect(row!.p50).toBeGreaterThanOrEqual(exact(durations, 50));
    expect(row!.p50).toBeLessThanOrEqual(exact(durations, 50) * STEP);
  });

  it("counts the last 24 hours or 7 days to the hour, and the slowest calls of that window only", async () => {
    const account = "latency-window";
    const windowStart24 = new Date(NOW - 24 * HOUR).toISOString().slice(0, 13); // 2026-11-29T12
    await log([
      call("summarize_context", 10, at(0), { accountId: account }),
      // The first hour of the 24-hour window, and the last minute before it.
      call("summarize_context", 20, `${windowStart24}:00:00.000Z`, { accountId: account }),
      call("summarize_context", 30_000, `${windowStart24.slice(0, 11)}11:59:59.999Z`, { accountId: account }),
      // Three days ago: in the 7-day window only; and slower than anything recent.
      call("summarize_context", 60_000, at(72), { accountId: account, outcome: "error", output: { error: "model timed out" } }),
      // Eight days ago: in neither.
      call("summarize_context", 90_000, at(8 * 24), { accountId: account }),
    ]);
    const day = await toolLatencyReport(env, account, "24h", NOW);
    expect(day.since).toBe(`${windowStart24}:00:00.000Z`);
    expect(day.tools).toEqual([expect.objectContaining({ tool: "summarize_context", calls: 2, p99: 20 })]);
    expect(day.slowest.map((c) => c.durationMs)).toEqual([20, 10]);
    // The older, slower calls were walked past: the list is still the whole window's.
    expect(day.slowestPartial).toBe(false);

    const week = await toolLatencyReport(env, account, "7d", NOW);
    expect(week.since).toBe(`${new Date(NOW - 7 * 24 * HOUR).toISOString().slice(0, 13)}:00:00.000Z`);
    expect(week.tools).toEqual([expect.objectContaining({ calls: 4, errors: 1, errorRate: 0.25 })]);
    expect(week.slowest.map((c) => c.durationMs)).toEqual([60_000, 30_000, 20, 10]);
    expect(week.slowest[0]).toMatchObject({ tool: "summarize_context", outcome: "error", error: "model timed out", at: at(72) });
    expect(week.slowest[1]).toMatchObject({ outcome: "ok", error: null });
  });

  it("lists the ten slowest tool calls, slowest first, without whole drafts", async () => {
    const account = "latency-slowest";
    const durations = Array.from({ length: 60 }, (_, i) => 5 + i * 13);
    await log([
      ...durations.map((ms) => call("lookup_entitlement", ms, at(1), { accountId: account })),
      call("lookup_entitlement", 2_000, at(1), { accountId: account, outcome: "error", output: { error: "x".repeat(1_000) } }),
      call(DRAFT_TOOL, 50_000, at(1), { accountId: account }),
      call("lookup_entitlement", 40_000, at(1), { accountId: account, outcome: "denied" }),
    ]);
    const { slowest, slowestPartial } = await toolLatencyReport(env, account, "24h", NOW);
    expect(slowest).toHaveLength(10);
    expect(slowestPartial).toBe(false);
    expect(slowest.map((c) => c.durationMs)).toEqual([2_000, ...[...durations].sort((a, b) => b - a).slice(0, 9)]);
    expect(slowest.every((c) => c.tool === "lookup_entitlement" && c.taskId?.startsWith("t_"))).toBe(true);
    // Only the message's first 300 characters.
    expect(slowest[0]!.error).toBe("x".repeat(300));
  });

  it("walks a bounded stretch of the slowest logged calls, and says so when older or whole-draft calls fill it", async () => {
    const account = "latency-crowded";
    await log([
      ...Array.from({ length: 12 }, (_, i) => call("read_ticket", 50 + i, at(1), { accountId: account })),
      call("lookup_entitlement", 900, at(2), { accountId: account }),
    ]);
    // More calls than the walk's bound, all slower than the window's: a week ago, and whole drafts of today (straight into the log).
    const crowd = (tool: string, createdAt: string, count: number) =>
      db.run(sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
        insert into tool_invocations (account_id, task_id, tool, outcome, duration_ms, created_at)
        select ${account}, 't_crowd', ${tool}, 'ok', 1000 + i, ${createdAt} from n`);
    await crowd("read_ticket", at(8 * 24), SLOWEST_SCAN - 5);
    const day = await toolLatencyReport(env, account, "24h", NOW);
    // 4,995 older calls walked past: the 5 slots left hold the window's 5 slowest.
    expect(day.slowest.map((c) => c.durationMs)).toEqual([900, 61, 60, 59, 58]);
    expect(day.slowestPartial).toBe(true);
    await crowd(DRAFT_TOOL, at(1), 10);
    const crowded = await toolLatencyReport(env, account, "24h", NOW);
    expect(crowded.slowest).toEqual([]);
    expect(crowded.slowestPartial).toBe(true);
    // The percentiles come from the rollup, whatever crowds the log.
    expect(crowded.tools.map((t) => [t.tool, t.calls])).toEqual([
      ["lookup_entitlement", 1],
      ["read_ticket", 12],
    ]);
  });

  it("keeps accounts apart and says nothing when nothing was logged", async () => {
    await log([call("read_ticket", 15, at(1), { accountId: OTHER_ACCOUNT }), call(DRAFT_TOOL, 900, at(1), { accountId: OTHER_ACCOUNT })]);
    const empty = await toolLatencyReport(env, "latency-nobody", "7d", NOW);
    expect(empty).toMatchObject({ tools: [], draft: null, slowest: [], slowestPartial: false });
    const other = await toolLatencyReport(env, OTHER_ACCOUNT, "24h", NOW);
    expect(other.tools.map((t) => t.calls)).toEqual([1]);
    expect(other.draft).toMatchObject({ calls: 1 });
    expect(other.slowest.map((c) => c.durationMs)).toEqual([15]);
    const own = await toolLatencyReport(env, ACCOUNT, "7d", NOW);
    expect(own.tools.flatMap((t) => (t.tool === "read_ticket" ? [t.calls] : []))).toEqual([]);
  });
});

describe("retention of the tool log", () => {
  it("deletes one account's calls and rollup hours past the keep days, keeps the rest and other accounts', also from the agent's hourly purge", async () => {
    const account = "latency-retention";
    const other = "latency-retention-other";
    const DAY = 24 * HOUR;
    const keep = TOOL_LOG_KEEP_DAYS * DAY;
    const old = (ms: number) => new Date(NOW - keep - ms).toISOString();
    const recent = new Date(NOW - keep + 2 * HOUR).toISOString();
    await log([
      ...Array.from({ length: 1_203 }, (_, i) => call("search_knowledge", 10 + (i % 50), old(DAY + (i % 5) * HOUR), { accountId: account })),
      call("read_ticket", 5, recent, { accountId: account }),
      call("read_ticket", 5, old(DAY), { accountId: other }),
    ]);
    const count = async (table: "tool_invocations" | "tool_latency", acct: string) =>
      (await db.all<{ n: number }>(sql`select count(*) as n from ${sql.raw(table)} where account_id = ${acct}`))[0]!.n;
    expect(await count("tool_invocations", account)).toBe(1_204);
    const rollupBefore = await count("tool_latency", account);

    // More than one batch (500) of calls: all of them go in one run.
    const deleted = await deleteOldToolLog(env, account, new Date(NOW));
    expect(deleted.calls).toBe(1_203);
    expect(deleted.rollup).toBe(rollupBefore - 1);
    expect(await count("tool_invocations", account)).toBe(1);
    expect(await count("tool_latency", account)).toBe(1);
    // Another account's old calls are its own agent's to purge.
    expect(await count("tool_invocations", other)).toBe(1);
    expect(await deleteOldToolLog(env, account, new Date(NOW))).toEqual({ calls: 0, rollup: 0 });

    // The account agent's hourly purge runs the same (against the real clock: the other account's call is past the keep days by then too).
    const agent = await accountAgent(env, other);
    expect(await agent.purgeOldToolLog()).toEqual({ calls: 1, rollup: 1 });
    expect(await count("tool_invocations", other)).toBe(0);
  });
});
