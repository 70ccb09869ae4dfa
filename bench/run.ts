// `npm run bench`: builds the app, serves the production build in workerd
// (`wrangler dev` on the build output, never the Vite dev server) on a fresh
// local state of its own, and measures the review queue at a team's volume:
// intake against a bare route, a burst of 500 tickets, and intake, decisions,
// the queue page, the first page of proposals, live update size and the
// fan-out of a decision to 20 open dashboards with 1,000 and 5,000 open
// proposals; and knowledge search with 5,000 articles in the account (seeded
// before the server starts, so every phase drafts against them); and the tail
// latency report (Insights → Latency) over a tool log of 1,000,000 calls
// (seeded with their hourly rollup before the server starts, by
// bench/seed-tool-log.ts). Prints JSON (and writes it to bench/results.json). Offline model;
// 127.0.0.1 only; every phase is bounded in count and time.
//
//   npm run bench                      everything (about 10 minutes on 2 cores)
//   BENCH_LEVELS=1000 npm run bench    stop at 1,000 open proposals
//   BENCH_SKIP_BUILD=1 npm run bench   reuse the last build
//   BENCH_ONLY=knowledge npm run bench only the knowledge search phase
//   BENCH_ONLY=latency npm run bench   only the tail latency report over 1,000,000 logged calls
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEV_VARS, ensureDevVars, readDevVars } from "../scripts/lib/dev-vars.ts";
import { ROOT, toolEnv } from "../scripts/lib/paths.ts";
import { signHeaders } from "../scripts/lib/standard-webhooks.ts";
import { latencyTarget, percentiles, targetsMet } from "./stats.ts";

const PORT = Number(process.env.BENCH_PORT ?? 8797);
const BASE = `http://127.0.0.1:${PORT}`;
const LEVELS = (process.env.BENCH_LEVELS ?? "1000,5000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0 && n <= 5000);
const CONCURRENCY = 16;
const BURST = 500;
const DASHBOARDS = 20;
const PHASE_DEADLINE_MS = 240_000;
/** Intake latency is measured with tickets arriving this far apart (2 a second: 170,000 a day). */
const INTAKE_SPACING_MS = 500;
/** Articles in the demo account's knowledge base while everything is measured. */
const KNOWLEDGE_ARTICLES = 5_000;
const KNOWLEDGE_ONLY = process.env.BENCH_ONLY === "knowledge";
/** Tool calls in the demo account's tool log (a week of them) while the latency report is measured. */
const TOOL_LOG_CALLS = 1_000_000;
const LATENCY_ONLY = process.env.BENCH_ONLY === "latency";
/** Tickets drafting at once: the account's in-flight cap, as a team at volume sets it. */
const DRAFTING_SLOTS = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`[bench] ${msg}`);

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: toolEnv(env), stdio: ["ignore", 2, 2] });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

/**
 * The build's own wrangler.json, with one change: the platform's ceiling on
 * deliveries per account (WEBHOOK_RATE_LIMITER, 600 a minute in wrangler.jsonc)
 * is lifted, so filling the queue to 5,000 does not take nine minutes of
 * pacing. The account's own limits are raised through its Operations API.
 */
function benchConfig(): string {
  const built = JSON.parse(readFileSync(path.join(ROOT, "build", "server", "wrangler.json"), "utf8")) as { ratelimits?: { simple: { limit: number } }[] };
  for (const r of built.ratelimits ?? []) r.simple.limit = 1_000_000;
  const file = path.join(ROOT, "build", "server", "wrangler.bench.json");
  writeFileSync(file, JSON.stringify(built));
  return path.relative(ROOT, file);
}

async function startServer(stateDir: string): Promise<ChildProcess> {
  const wrangler = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
  const child = spawn(process.execPath, [wrangler, "dev", "-c", benchConfig(), "--persist-to", stateDir, "--port", String(PORT), "--ip", "127.0.0.1"], {
    cwd: ROOT,
    env: toolEnv(),
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited: ${stderr}`);
    try {
      const res = await fetch(`${BASE}/api/health`);
      if (res.ok) return child;
    } catch {
      // not yet
    }
    await sleep(300);
  }
  throw new Error(`wrangler dev did not answer within 120 s: ${stderr}`);
}

// ── the app's own API, as a help desk, a script and a browser use it ────────

const vars = () => readDevVars();

async function signIn(email: string): Promise<string> {
  const res = await fetch(`${BASE}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: vars().DEMO_PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

let ticketNo = 0;
const runId = Date.now().toString(36);
async function postTicket(): Promise<{ status: number; ms: number; taskId?: string }> {
  const i = ++ticketNo;
  const body = JSON.stringify({
    ticket: {
      id: `BENCH-${runId}-${i}`,
      subject: `Invoice question ${i}: VAT number missing`,
      body: "Hello, could you resend last month's invoice with our VAT number on it? Our accounting needs it by Friday. Thanks!",
      requester: { email: `customer${i % 97}@bench.example`, name: `Customer ${i % 97}` },
      priority: ["low", "normal", "normal", "high"][i % 4],
    },
  });
  const start = performance.now();
  try {
    const res = await fetch(`${BASE}/webhooks/demo/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signHeaders(vars().DEMO_WEBHOOK_SECRET!, body) },
      body,
    });
    const json = (await res.json()) as { taskId?: string };
    return { status: res.status, ms: performance.now() - start, taskId: json.taskId };
  } catch {
    return { status: 0, ms: performance.now() - start };
  }
}

interface Counts {
  awaiting_review: number;
  drafting: number;
  sending: number;
  open: number;
}

async function queuePage(
  token: string,
  query = "limit=50",
): Promise<{ ms: number; bytes: number; proposals: { taskId: string; status: string }[]; counts: Counts }> {
  const start = performance.now();
  const res = await fetch(`${BASE}/api/accounts/demo/proposals?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`GET proposals: ${res.status} ${text}`);
  const page = JSON.parse(text) as { proposals: { taskId: string; status: string }[]; counts: Counts };
  return { ms, bytes: text.length, ...page };
}

/** Sends `count` tickets, `CONCURRENCY` at a time. */
async function sendTickets(count: number) {
  const results: { status: number; ms: number }[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        results.push(await postTicket());
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const byStatus: Record<string, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { seconds, byStatus, accepted: byStatus["202"] ?? 0, ms: results.map((r) => r.ms) };
}

/** Waits until nothing is drafting any more and `open` proposals await review. */
async function waitForDrafts(token: string, open: number, deadlineMs = PHASE_DEADLINE_MS): Promise<number> {
  const start = performance.now();
  for (;;) {
    const { counts } = await queuePage(token, "limit=1");
    if (counts.awaiting_review >= open && counts.drafting === 0) return performance.now() - start;
    if (performance.now() - start > deadlineMs) throw new Error(`drafts not ready after ${deadlineMs / 1000} s: ${JSON.stringify(counts)}`);
    await sleep(250);
  }
}

// ── dashboards: WebSockets as the queue page opens them ────────────────────

interface Dashboard {
  ws: WebSocket;
  /** taskId → time the first event about it arrived */
  seen: Map<string, number>;
  sizes: number[];
}

async function openDashboards(sessionToken: string, n: number): Promise<Dashboard[]> {
  return Promise.all(
    Array.from({ length: n }, () => {
      const ws = new (WebSocket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket)(
        `ws://127.0.0.1:${PORT}/agents/account-agent/demo`,
        {
          headers: { cookie: `st_session=${sessionToken}`, origin: BASE },
        },
      );
      const d: Dashboard = { ws, seen: new Map(), sizes: [] };
      return new Promise<Dashboard>((resolve, reject) => {
        ws.addEventListener("message", (e) => {
          const text = String(e.data);
          if (!text.startsWith('{"type":"queue.')) return;
          const event = JSON.parse(text) as { type: string; taskId?: string; proposal?: { taskId: string } };
          if (event.type === "queue.hello") return resolve(d);
          d.sizes.push(Buffer.byteLength(text));
          const id = event.taskId ?? event.proposal?.taskId;
          if (id && !d.seen.has(id)) d.seen.set(id, performance.now());
        });
        ws.addEventListener("error", () => reject(new Error("dashboard WebSocket failed")));
      });
    }),
  );
}

/** Decides `n` proposals awaiting review one after another; measures each request and its arrival on every dashboard. */
async function decide(token: string, dashboards: Dashboard[], n: number) {
  const { proposals } = await queuePage(token, `limit=${n}&status=awaiting_review`);
  const requestMs: number[] = [];
  const fanoutMs: number[] = [];
  for (const p of proposals.slice(0, n)) {
    for (const d of dashboards) d.seen.delete(p.taskId);
    const start = performance.now();
    const res = await fetch(`${BASE}/api/accounts/demo/tasks/${p.taskId}/decision`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ action: "approve" }),
    });
    requestMs.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`decision on ${p.taskId}: ${res.status} ${await res.text()}`);
    const deadline = performance.now() + 5000;
    while (dashboards.some((d) => !d.seen.has(p.taskId)) && performance.now() < deadline) await sleep(2);
    for (const d of dashboards) fanoutMs.push((d.seen.get(p.taskId) ?? deadline) - start);
  }
  return { requestMs, fanoutMs };
}

async function queuePageHtml(sessionToken: string) {
  const start = performance.now();
  const res = await fetch(`${BASE}/accounts/demo/queue`, { headers: { cookie: `st_session=${sessionToken}` } });
  const html = await res.text();
  return { status: res.status, ms: performance.now() - start, bytes: Buffer.byteLength(html) };
}

async function timeSerial(n: number, call: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call();
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * Intake at a steady arrival rate (the latency a help desk sees: every ticket
 * drafts before the next arrives), intake back to back (each answer waits
 * behind the previous ticket's drafting, which shares the one workerd thread
 * here), then decisions, pages and fan-out, at the current queue size.
 */
async function measureAt(label: string, agentToken: string, dashboards: Dashboard[]) {
  log(`${label}: measuring`);
  const awaitingBefore = (await queuePage(agentToken, "limit=1")).counts.awaiting_review;
  // A bare route is timed alongside each ticket, so both see the same conditions.
  const intake: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 30; i++) {
    const r = await postTicket();
    if (r.status !== 202) throw new Error(`intake answered ${r.status}`);
    intake.push(r.ms);
    await sleep(INTAKE_SPACING_MS / 2);
    bare.push(...(await timeSerial(1, () => fetch(`${BASE}/api/health`).then((res) => res.text()))));
    await sleep(INTAKE_SPACING_MS / 2);
  }
  const backToBack = await timeSerial(20, async () => {
    const r = await postTicket();
    if (r.status !== 202) throw new Error(`intake answered ${r.status}`);
  });
  await waitForDrafts(agentToken, awaitingBefore + 50);
  const before = await queuePage(agentToken, "limit=1");
  const firstPage = await timeSerial(20, () => queuePage(agentToken));
  const pageSize = (await queuePage(agentToken)).bytes;
  const html: { ms: number; bytes: number }[] = [];
  for (let i = 0; i < 5; i++) html.push(await queuePageHtml(agentToken));
  const decisions = await decide(agentToken, dashboards, 20);
  const updateBytes = dashboards.flatMap((d) => d.sizes);
  for (const d of dashboards) d.sizes.length = 0;
  return {
    open_proposals: before.counts.open,
    bare_route_ms: percentiles(bare),
    intake_ms: percentiles(intake),
    intake_back_to_back_ms: percentiles(backToBack),
    decision_ms: percentiles(decisions.requestMs),
    first_page_ms: percentiles(firstPage),
    first_page_bytes: pageSize,
    queue_page_html: { ms: percentiles(html.map((h) => h.ms)), bytes: Math.max(...html.map((h) => h.bytes)) },
    update_bytes: updateBytes.length ? { ...percentiles(updateBytes), count: updateBytes.length } : null,
    decision_to_dashboards_ms: percentiles(decisions.fanoutMs),
  };
}

/** Knowledge search over 5,000 articles: the tuning questions (data/knowledge/questions.dev.jsonl), 200 searches one after another. */
async function measureSearch(token: string) {
  const questions = readFileSync(path.join(ROOT, "data", "knowledge", "questions.dev.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { question: string; lang: string });
  log(`knowledge search: 200 searches over ${KNOWLEDGE_ARTICLES} articles`);
  const search = (i: number) => {
    const q = questions[i % questions.length]!;
    return fetch(`${BASE}/api/accounts/demo/knowledge/search?${new URLSearchParams({ q: q.question, language: q.lang })}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then(async (r) => {
      if (!r.ok) throw new Error(`knowledge search answered ${r.status}: ${await r.text()}`);
      return r.json();
    });
  };
  let i = 0;
  await timeSerial(20, () => search(i++));
  const ms = await timeSerial(200, () => search(i++));
  return { articles: KNOWLEDGE_ARTICLES, searches: 200, search_ms: percentiles(ms) };
}

/**
 * The tail latency report over the seeded tool log: each window 50 times one
 * after another through the REST API (what the Insights page's loader runs),
 * and the Insights page itself (its other sections included) 10 times.
 */
async function measureLatency(token: string, sessionToken: string, seeded: { calls: number; seconds: number }) {
  log(`tail latency: the report over ${seeded.calls.toLocaleString("en")} logged calls`);
  const report = async (window: string) => {
    const res = await fetch(`${BASE}/api/accounts/demo/insights/latency?window=${window}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`latency report answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { tools: { calls: number }[]; draft: { calls: number } | null; slowest: unknown[]; slowestPartial: boolean };
  };
  const byWindow: Record<string, { ms: ReturnType<typeof percentiles>; calls: number; slowest: number; slowest_partial: boolean }> = {};
  for (const window of ["24h", "7d"]) {
    await timeSerial(5, () => report(window));
    const ms = await timeSerial(50, () => report(window));
    const last = await report(window);
    byWindow[window] = {
      ms: percentiles(ms),
      calls: last.tools.reduce((n, t) => n + t.calls, 0) + (last.draft?.calls ?? 0),
      slowest: last.slowest.length,
      slowest_partial: last.slowestPartial,
    };
  }
  const page = async () => {
    const res = await fetch(`${BASE}/accounts/demo/insights?latency=7d`, { headers: { cookie: `st_session=${sessionToken}` } });
    const html = await res.text();
    if (!res.ok || !html.includes('data-testid="latency-table"')) throw new Error(`Insights page answered ${res.status} without the latency table`);
  };
  await timeSerial(2, page);
  const pageMs = await timeSerial(10, page);
  return {
    tool_calls_seeded: seeded.calls,
    seed_seconds: seeded.seconds,
    report_24h_ms: byWindow["24h"]!.ms,
    report_7d_ms: byWindow["7d"]!.ms,
    calls_in_24h: byWindow["24h"]!.calls,
    calls_in_7d: byWindow["7d"]!.calls,
    slowest_listed: { "24h": byWindow["24h"]!.slowest, "7d": byWindow["7d"]!.slowest },
    slowest_partial: byWindow["24h"]!.slowest_partial || byWindow["7d"]!.slowest_partial,
    insights_page_7d_ms: percentiles(pageMs),
  };
}

async function main() {
  if (!process.env.BENCH_SKIP_BUILD) {
    log("building (react-router build)");
    await run(process.execPath, [path.join(ROOT, "node_modules", "@react-router", "dev", "bin.cjs"), "build"]);
  }
  ensureDevVars();
  // `wrangler dev` on the build reads the Worker's secrets from a .dev.vars beside its config.
  copyFileSync(DEV_VARS, path.join(ROOT, "build", "server", ".dev.vars"));
  // In memory where the machine has it: workerd's local SQLite syncs every commit of every
  // object, database and Workflow to disk, which no deployed object does on a request's thread
  // (BENCH_STATE_ON_DISK=1 keeps it on disk, to compare).
  const memory = !process.env.BENCH_STATE_ON_DISK && existsSync("/dev/shm") ? "/dev/shm" : null;
  const stateDir = mkdtempSync(path.join(memory ?? os.tmpdir(), "support-triage-bench-"));
  log(`fresh state in ${stateDir}; seeding`);
  await run(process.execPath, [path.join(ROOT, "scripts", "seed.ts")], { STATE_DIR: stateDir });
  // A week of tool calls in the demo account's log (and its rollup), straight into the local D1 file before the server opens it.
  const toolLog = { calls: 0, seconds: 0 };
  if (!KNOWLEDGE_ONLY) {
    log(`seeding ${TOOL_LOG_CALLS.toLocaleString("en")} tool calls into the demo account's tool log`);
    const start = performance.now();
    await run("npx", ["tsx", "bench/seed-tool-log.ts", stateDir, "demo", String(TOOL_LOG_CALLS)]);
    Object.assign(toolLog, { calls: TOOL_LOG_CALLS, seconds: Math.round((performance.now() - start) / 100) / 10 });
  }
  const demoArticles = readFileSync(path.join(ROOT, "data", "knowledge", "demo", "articles.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean).length;
  const demoReplies = readFileSync(path.join(ROOT, "data", "knowledge", "demo", "saved-replies.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean).length;
  if (!LATENCY_ONLY) {
    log(`adding ${KNOWLEDGE_ARTICLES - demoArticles - demoReplies} synthetic articles to the demo knowledge base`);
    await run("npx", ["tsx", "scripts/seed-knowledge.ts", "demo", "--synthetic", String(KNOWLEDGE_ARTICLES - demoArticles - demoReplies)], {
      STATE_DIR: stateDir,
    });
  }
  log(`serving the production build with wrangler dev on ${BASE}`);
  const server = await startServer(stateDir);
  const stop = () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stop);
  let latency: Awaited<ReturnType<typeof measureLatency>> | null = null;
  try {
    const admin = await signIn("admin@demo.test");
    const agent = await signIn("agent@demo.test");
    // A team at volume raises the account's own limits (Operations page); the platform ceiling stays as configured.
    const ops = await fetch(`${BASE}/api/accounts/demo/operations`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ ticketsPerMinute: 10_000, maxInFlight: DRAFTING_SLOTS, decisionsPerMinute: 1_000 }),
    });
    if (!ops.ok) throw new Error(`raising limits failed: ${ops.status}`);
    await sleep(500);

    if (!KNOWLEDGE_ONLY) {
      const lead = await signIn("lead@demo.test");
      latency = await measureLatency(lead, lead, toolLog);
      if (LATENCY_ONLY) {
        console.log(JSON.stringify({ latency, targets: { tail_latency_report: latencyTarget(latency) } }, null, 2));
        return;
      }
    }

    const knowledge = await measureSearch(agent);
    if (KNOWLEDGE_ONLY) {
      console.log(JSON.stringify({ knowledge }, null, 2));
      return;
    }

    log("bare route");
    await timeSerial(20, () => fetch(`${BASE}/api/health`).then((r) => r.text()));
    const bare = await timeSerial(200, () => fetch(`${BASE}/api/health`).then((r) => r.text()));
    const dashboards = await openDashboards(agent, DASHBOARDS);

    const empty = await measureAt("empty queue", agent, dashboards);

    log(`burst of ${BURST} tickets at ${CONCURRENCY} in parallel`);
    const burstStart = performance.now();
    const burst = await sendTickets(BURST);
    const readyMs = await waitForDrafts(agent, BURST);
    const burstResult = {
      tickets: BURST,
      concurrency: CONCURRENCY,
      answers: burst.byStatus,
      accepted_per_second: Math.round((burst.accepted / burst.seconds) * 10) / 10,
      accept_ms: percentiles(burst.ms),
      all_awaiting_review_after_s: Math.round((performance.now() - burstStart) / 100) / 10,
      drafting_after_last_accept_s: Math.round(readyMs / 100) / 10,
    };

    const levels: Record<string, Awaited<ReturnType<typeof measureAt>>> = {};
    for (const level of LEVELS) {
      const { counts } = await queuePage(agent, "limit=1");
      const missing = level - counts.open;
      if (missing > 0) {
        log(`filling the queue to ${level} open proposals (${missing} more tickets)`);
        const fill = await sendTickets(missing);
        if (fill.accepted !== missing) throw new Error(`filling the queue: ${JSON.stringify(fill.byStatus)}`);
        await waitForDrafts(agent, level, 900_000);
      }
      levels[String(level)] = await measureAt(`${level} open`, agent, dashboards);
    }
    for (const d of dashboards) d.ws.close();

    const result = {
      bench: "review queue at volume",
      served_by: "wrangler dev on the production build (workerd), fresh state",
      machine: { cpus: os.cpus().length, node: process.version },
      settings: {
        state: memory ? "in memory (/dev/shm)" : "on disk",
        drafting_slots: DRAFTING_SLOTS,
        intake_spacing_ms: INTAKE_SPACING_MS,
        concurrency: CONCURRENCY,
        dashboards: DASHBOARDS,
      },
      bare_route_ms: percentiles(bare),
      knowledge,
      latency: latency!,
      empty,
      burst: burstResult,
      levels,
    };
    const withTargets = { ...result, targets: targetsMet(result) };
    const out = JSON.stringify(withTargets, null, 2);
    writeFileSync(path.join(ROOT, "bench", "results.json"), `${out}\n`);
    console.log(out);
  } finally {
    stop();
    await sleep(500);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 1;
});
