// Fills one account's tool log with a week of made-up calls for the latency
// bench (bench/run.ts), straight into the local D1's SQLite file before the
// server starts: `wrangler d1 execute` would take many minutes for a million
// rows. The hourly rollup (`tool_latency`) is computed with the Worker's own
// buckets (worker/audit/latency-buckets.ts), as worker/audit/tool-log.ts does.
// Run through tsx (the bucket module has extensionless imports):
//
//   npx tsx bench/seed-tool-log.ts <state-dir> <account-id> <calls>
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { bucketOf } from "../worker/audit/latency-buckets";

const [stateDir, accountId, callsArg] = process.argv.slice(2);
if (!stateDir || !accountId || !callsArg) {
  console.error("usage: tsx bench/seed-tool-log.ts <state-dir> <account-id> <calls>");
  process.exit(2);
}
const CALLS = Number(callsArg);
const WEEK_MS = 7 * 24 * 3_600_000;

/** A drafting round as the offline model runs it: its tools (median ms), then the whole round (`draft`). */
const ROUND: { tool: string; medianMs: number }[] = [
  { tool: "read_ticket", medianMs: 2 },
  { tool: "lookup_entitlement", medianMs: 12 },
  { tool: "summarize_context", medianMs: 35 },
  { tool: "search_knowledge", medianMs: 22 },
  { tool: "draft_reply", medianMs: 4 },
];

/** The local D1 of wrangler's state: the one SQLite file under v3/d1 that has the tool log. */
function d1File(): string {
  const dir = path.join(stateDir!, "v3", "d1", "miniflare-D1DatabaseObject");
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".sqlite"))) {
    const db = new DatabaseSync(path.join(dir, name), { readOnly: true });
    const found = db.prepare("select 1 from sqlite_master where name = 'tool_invocations'").get();
    db.close();
    if (found) return path.join(dir, name);
  }
  throw new Error(`no D1 database with tool_invocations under ${dir}: seed first`);
}

// A seeded generator: the same week on every run.
let seed = 14;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return (seed + 0.5) / 2 ** 31;
};
/** Log-normal around the median, with one call in a hundred ten times slower (the tail). */
function durationAround(medianMs: number): number {
  const normal = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  const ms = medianMs * Math.exp(0.6 * normal) * (random() < 0.01 ? 10 : 1);
  return Math.max(0, Math.round(ms));
}

const started = performance.now();
const db = new DatabaseSync(d1File());
db.exec("pragma synchronous = off");
const insertCall = db.prepare(
  "insert into tool_invocations (account_id, task_id, tool, input, outcome, output, duration_ms, actor, client, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, null, ?)",
);
const rollup = new Map<string, { hour: string; tool: string; bucket: number; calls: number; errors: number }>();
const now = Date.now();
const perRound = ROUND.length + 1;
const rounds = Math.ceil(CALLS / perRound);
let written = 0;
db.exec("begin");
for (let r = 0; r < rounds && written < CALLS; r++) {
  // Spread evenly over the week that ends now, oldest first.
  let at = now - WEEK_MS + Math.floor(((r + random()) / rounds) * WEEK_MS);
  const taskId = `t_${r.toString(16).padStart(32, "0")}`;
  const input = JSON.stringify({ ticket_id: `BENCH-${r}` });
  let roundMs = 0;
  const calls = [...ROUND.map(({ tool, medianMs }) => ({ tool, ms: durationAround(medianMs) })), { tool: "draft", ms: 0 }];
  for (const call of calls) {
    if (written >= CALLS) break;
    if (call.tool === "draft") call.ms = roundMs + durationAround(120);
    else roundMs += call.ms;
    const failed = random() < 0.005;
    const createdAt = new Date(at).toISOString();
    insertCall.run(
      accountId!,
      taskId,
      call.tool,
      input,
      failed ? "error" : "ok",
      failed ? JSON.stringify({ error: "upstream timed out" }) : '{"ok":true}',
      call.ms,
      `agent:${accountId}`,
      createdAt,
    );
    const hour = createdAt.slice(0, 13);
    const bucket = bucketOf(call.ms);
    const key = `${hour}|${call.tool}|${bucket}`;
    const row = rollup.get(key) ?? rollup.set(key, { hour, tool: call.tool, bucket, calls: 0, errors: 0 }).get(key)!;
    row.calls += 1;
    if (failed) row.errors += 1;
    at += call.ms;
    written += 1;
  }
}
const upsert = db.prepare(
  "insert into tool_latency (account_id, hour, tool, bucket, calls, errors) values (?, ?, ?, ?, ?, ?) on conflict (account_id, hour, tool, bucket) do update set calls = calls + excluded.calls, errors = errors + excluded.errors",
);
for (const r of rollup.values()) upsert.run(accountId!, r.hour, r.tool, r.bucket, r.calls, r.errors);
db.exec("commit");
db.close();
console.log(JSON.stringify({ calls: written, rollup_rows: rollup.size, seconds: Math.round((performance.now() - started) / 100) / 10 }));
