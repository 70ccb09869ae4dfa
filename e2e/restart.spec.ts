// Restarts: the local runtime (vite dev + workerd) is really stopped while tasks
// wait for approval and while a "send reply" step is retrying against a failing
// help desk, then started again on the same state. Every task must resume where
// it was: the waiting proposals still wait, an approval after the restart sends
// exactly once, the retrying send completes exactly once, nothing is lost.
//
// This test runs its OWN app (`node scripts/start.ts`) on port 5198 with its own
// state directory (STATE_DIR, a fresh temp dir), so it never touches the suite's
// server on 5199 or .wrangler/state. It needs no browser.
//
// Knobs (all off by default):
//   RESTART_SIGNAL=SIGKILL    stop the runtime like a crash instead of SIGTERM
//   KEEP_STATE=1              keep the state directory afterwards (path in the log)
//
// The local Workflows engine wakes an instance only on create or on an event, so
// the Worker nudges open tasks' Workflows on its first request after a start in
// development (worker/index.ts, wakeOpenWorkflows); the readiness probe is that request.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { readDevVars } from "../scripts/lib/dev-vars.ts";
import { ROOT } from "../scripts/lib/paths.ts";
import { npx } from "../scripts/lib/run.ts";
import { FAKE_HELPDESK_CREDENTIALS, type FakeCreatedItem, type FakeRecordedRequest } from "../test/fakes/help-desk-fixtures.ts";
import { type FakeHelpDesks, startFakeHelpDesks } from "../test/fakes/help-desks.ts";
import { signFor } from "../test/sign-webhook.ts";
import { DEMO, postTicket, uniqueTicket } from "./helpers";

const PORT = 5198; // the suite's own server is on 5199
const BASE = `http://127.0.0.1:${PORT}`;
/** How the runtime is stopped: SIGTERM (a developer's Ctrl+C / a deploy) by default; RESTART_SIGNAL=SIGKILL for a crash. */
const STOP_SIGNAL = (process.env.RESTART_SIGNAL ?? "SIGTERM") as NodeJS.Signals;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ── the app under test, as a process group we can really stop ─────────────

interface App {
  child: ChildProcess;
  pgid: number;
  exited: Promise<void>;
}

let stateDir = "";
let app: App | null = null;
let fake: FakeHelpDesks | null = null;
const log: string[] = [];

function appendLog(prefix: string, chunk: Buffer) {
  for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log.push(`${prefix} ${line}`);
  if (log.length > 4000) log.splice(0, log.length - 4000);
}

function startApp(label: string): App {
  log.push(`── ${label}: node scripts/start.ts (STATE_DIR=${stateDir}) ──`);
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "start.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      STATE_DIR: stateDir,
      VITE_ERROR_OVERLAY: "off",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
    },
    // Its own process group: start.ts, vite and workerd can be stopped together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => appendLog(`[${label}]`, d));
  child.stderr!.on("data", (d: Buffer) => appendLog(`[${label}!]`, d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, pgid: child.pid!, exited };
}

/** Live (non-zombie) processes of a process group, from /proc (Linux). */
function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    // No /proc: fall back to a signal-0 probe of the group.
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid pgrp …: comm may contain spaces, so parse after the last ")".
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Stops the whole group (start.ts, vite, workerd): `signal`, then SIGKILL after 5 s. Waits until it is gone and the port is free. */
async function stopApp(a: App, signal: NodeJS.Signals = "SIGTERM"): Promise<{ ms: number; escalated: boolean }> {
  const t0 = Date.now();
  const kill = (s: NodeJS.Signals) => {
    try {
      process.kill(-a.pgid, s);
    } catch {
      // already gone
    }
  };
  kill(signal);
  let escalated = false;
  const deadline = Date.now() + 20_000;
  while (groupMembers(a.pgid).length > 0 || (await portOpen(PORT))) {
    if (!escalated && Date.now() - t0 > 5_000) {
      escalated = true;
      kill("SIGKILL");
    }
    if (Date.now() > deadline) throw new Error(`the app (process group ${a.pgid}) did not stop: ${groupMembers(a.pgid).join(", ")}`);
    await sleep(100);
  }
  await Promise.race([a.exited, sleep(2_000)]);
  log.push(`── stopped with ${signal}${escalated ? " (then SIGKILL)" : ""} in ${Date.now() - t0} ms ──`);
  return { ms: Date.now() - t0, escalated };
}

async function waitUntilServing(a: App, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null = null;
  a.child.once("exit", (code) => (exitCode = code ?? -1));
  while (Date.now() < deadline) {
    if (exitCode !== null || a.child.exitCode !== null) throw new Error(`the app exited (code ${exitCode ?? a.child.exitCode}) before it answered`);
    try {
      const res = await fetch(`${BASE}/login`, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    await sleep(300);
  }
  throw new Error(`no answer from ${BASE}/login within ${timeoutMs / 1000} s`);
}

// ── the app's API ───────────────────────────────────────────────────────

async function api<T>(method: string, route: string, token: string | null, body?: unknown, expected = [200]): Promise<T> {
  const res = await fetch(`${BASE}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : null) as T;
}

const signIn = async (email: string) => (await api<{ token: string }>("POST", "/api/session", null, { email, password: DEMO.password() }, [201])).token;

interface TaskRow {
  id: string;
  status: string;
  outcome: string | null;
}
interface ProposalRow {
  taskId: string;
  status: string;
}

const tasks = async (token: string) => (await api<{ tasks: TaskRow[] }>("GET", `/api/accounts/${DEMO.account}/tasks?limit=200`, token)).tasks;
const proposals = async (token: string) => (await api<{ proposals: ProposalRow[] }>("GET", `/api/accounts/${DEMO.account}/proposals`, token)).proposals;
const taskStatus = async (token: string, id: string) => (await tasks(token)).find((t) => t.id === id)?.status;

/** One query against the test's D1 (through wrangler, beside the running dev server). */
async function d1<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  const { stdout } = await npx(["wrangler", "d1", "execute", "DB", "--local", "--persist-to", stateDir, "--json", "--command", sql], { quiet: true });
  const parsed = JSON.parse(stdout.slice(stdout.indexOf("["))) as { results: T[] }[];
  return parsed[0]!.results;
}

// ── the fake help desk (in this process) ─────────────────────────────────

async function fakeState(): Promise<{ requests: FakeRecordedRequest[]; created: FakeCreatedItem[] }> {
  const res = await fetch(`${fake!.url}/_fake/requests?vendor=zammad`);
  return (await res.json()) as { requests: FakeRecordedRequest[]; created: FakeCreatedItem[] };
}

async function postZammadTicket(ticketId: number): Promise<string> {
  const fixture = JSON.parse(readFileSync(path.join(ROOT, "test", "fixtures", "webhooks", "zammad-ticket-created.json"), "utf8"));
  fixture.ticket.id = ticketId;
  fixture.ticket.number = String(ticketId);
  fixture.ticket.title = `VPN drops every 10 minutes (restart test ${ticketId})`;
  fixture.article.ticket_id = ticketId;
  fixture.article.subject = fixture.ticket.title;
  const body = JSON.stringify(fixture);
  const secret = readDevVars().DEMO_ZAMMAD_SECRET!;
  const res = await fetch(`${BASE}/webhooks/${DEMO.account}/zammad`, { method: "POST", headers: await signFor("zammad", secret, body), body });
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return (JSON.parse(text) as { taskId: string }).taskId;
}

/** Polls `probe` until it returns a value that is not undefined, or fails with `what`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      if ((err as { fatal?: boolean }).fatal) throw err;
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
}

// ── the test ───────────────────────────────────────────────────────────

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), "support-triage-restart-"));
});

// biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a hook asks for from its first parameter
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    await testInfo.attach("app.log", { body: log.join("\n"), contentType: "text/plain" });
  }
});

test.afterAll(async () => {
  if (app) await stopApp(app, "SIGTERM").catch(() => undefined);
  app = null;
  if (fake) await new Promise<void>((resolve) => fake!.server.close(() => resolve()));
  fake = null;
  // KEEP_STATE=1 keeps the state directory for a look inside (its path is in the log).
  if (stateDir && !process.env.KEEP_STATE) rmSync(stateDir, { recursive: true, force: true });
});

test("a real restart while proposals wait and a send step retries: every task resumes, nothing is sent twice or lost", async () => {
  test.setTimeout(300_000);
  const timings: Record<string, number> = {};
  const mark = (name: string, since: number) => (timings[name] = Date.now() - since);

  // a. Our own app on its own state.
  let t = Date.now();
  app = startApp("first start");
  await waitUntilServing(app);
  mark("first start", t);

  // b. The help desks, in this process.
  fake = await startFakeHelpDesks();

  // c. Sign-ins (seeded into STATE_DIR: this proves wrangler and vite share it) and Zammad outbound to the fake.
  const admin = await signIn("admin@demo.test");
  const agent = await signIn(DEMO.agent);
  await api("PUT", `/api/accounts/${DEMO.account}/connectors/zammad/outbound`, admin, {
    apiBaseUrl: `${fake.url}/zammad`,
    credentials: FAKE_HELPDESK_CREDENTIALS.zammad,
  });

  // d. Three tickets: two through the generic webhook, one from Zammad.
  t = Date.now();
  const waitingA = await postTicket(BASE, uniqueTicket({ requester: { email: "priya@brightpath-tutoring.example", name: "Priya Raman" } }));
  const waitingB = await postTicket(BASE, uniqueTicket({ requester: { email: "marcus@pixelforge.example", name: "Marcus Chen" } }));
  const zammadTicketId = 700_000 + Math.floor(Math.random() * 200_000);
  const retrying = await postZammadTicket(zammadTicketId);
  const all = [waitingA, waitingB, retrying];
  expect(new Set(all).size).toBe(3);

  // e. All three proposals wait for a person.
  await until(
    "three proposals awaiting review",
    async () => {
      const waiting = new Set((await proposals(agent)).filter((p) => p.status === "awaiting_review").map((p) => p.taskId));
      return all.every((id) => waiting.has(id)) ? true : undefined;
    },
    120_000,
  );
  mark("three proposals drafted", t);
  const zammadBefore = await fakeState();
  // A handoff note may have been filed while drafting; no reply exists yet.
  expect(zammadBefore.created.filter((c) => c.kind === "reply")).toHaveLength(0);

  // f. Zammad fails from now on; approving the Zammad task makes "send reply" retry.
  //    The connector tries 3 times within one step attempt; after the third 503 the
  //    step attempt has failed and the Workflow waits 2 s before attempt 2.
  const script = await fetch(`${fake.url}/_fake/script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ vendor: "zammad", status: 503, times: 1000 }),
  });
  expect(script.status).toBe(200);
  const seqBefore = Math.max(0, ...zammadBefore.requests.map((r) => r.seq));
  const scriptedSince = (requests: FakeRecordedRequest[]) =>
    requests.filter((r) => r.seq > seqBefore && r.outcome === "scripted" && r.path === "/api/v1/ticket_articles");
  t = Date.now();
  await api("POST", `/api/accounts/${DEMO.account}/tasks/${retrying}/decision`, agent, { action: "approve" });
  const failedAttempts = await until(
    "one failed step attempt (3 scripted 503s)",
    async () => {
      const hits = scriptedSince((await fakeState()).requests);
      return hits.length >= 3 ? hits : undefined;
    },
    30_000,
    25,
  );
  mark("approve → step attempt failed", t);
  expect((failedAttempts[0]!.body as { ticket_id: unknown }).ticket_id).toBe(zammadTicketId);

  // g. Stop the runtime at once, while the step waits for its retry.
  t = Date.now();
  const stopped = await stopApp(app, STOP_SIGNAL);
  app = null;
  mark("stop", t);
  expect(await portOpen(PORT)).toBe(false);

  // Everything the fake saw before the restart: only failures for the reply.
  const beforeRestart = await fakeState();
  const scriptedBefore = scriptedSince(beforeRestart.requests).length;
  expect(beforeRestart.created.filter((c) => c.kind === "reply")).toHaveLength(0);

  // h. The help desk recovers while we are down (the fake has no "clear scripts":
  //    reset it and count what arrives after the restart).
  fake.reset();

  t = Date.now();
  app = startApp("restart");
  await waitUntilServing(app);
  mark("restart", t);
  const restartedAt = Date.now();

  // i. Nothing lost: all three tasks are there; sessions (D1) survived too.
  const agentAfter = await signIn(DEMO.agent);
  const afterTasks = await tasks(agentAfter);
  for (const id of all)
    expect(
      afterTasks.map((x) => x.id),
      `task ${id} after the restart`,
    ).toContain(id);
  await api("GET", "/api/me", agent); // the token from before the restart still works

  // The two untouched proposals still wait, under the same task ids.
  const waitingAfter = new Set((await proposals(agentAfter)).filter((p) => p.status === "awaiting_review").map((p) => p.taskId));
  expect(waitingAfter.has(waitingA)).toBe(true);
  expect(waitingAfter.has(waitingB)).toBe(true);
  expect(afterTasks.find((x) => x.id === waitingA)!.status).toBe("awaiting_review");
  expect(afterTasks.find((x) => x.id === waitingB)!.status).toBe("awaiting_review");

  // The retrying step resumes by itself after the restart and completes: the help
  // desk is up again, so the next attempt succeeds. (Checked before anything else
  // sends an event to a Workflow.) Retries left: 4, the longest delay 32 s.
  let zammadStatus: string | undefined;
  try {
    zammadStatus = await until(
      "the retrying Zammad send to finish",
      async () => {
        const s = await taskStatus(agentAfter, retrying);
        if (s === "failed") {
          throw Object.assign(new Error(`the Zammad task failed: ${JSON.stringify((await tasks(agentAfter)).find((x) => x.id === retrying))}`), {
            fatal: true,
          });
        }
        return s === "sent" ? s : undefined;
      },
      90_000,
      1_000,
    );
    timings["restart → retried send done"] = Date.now() - restartedAt;
  } catch (err) {
    zammadStatus = await taskStatus(agentAfter, retrying);
    log.push(`── ${String(err)} ──`);
  }
  const proposalStatus = (await proposals(agentAfter)).find((p) => p.taskId === retrying)?.status;
  expect
    .soft(
      zammadStatus,
      `the Zammad task whose "send reply" step was retrying when the runtime stopped is still "${zammadStatus}" ` +
        `(proposal "${proposalStatus}") 90 s after the restart, and the help desk saw ${(await fakeState()).requests.length} ` +
        `requests since: its Workflow did not resume`,
    )
    .toBe("sent");

  // Approving a proposal that waited across the restart sends it, once.
  t = Date.now();
  await api("POST", `/api/accounts/${DEMO.account}/tasks/${waitingA}/decision`, agentAfter, { action: "approve" });
  await until("the approved generic task to be sent", async () => ((await taskStatus(agentAfter, waitingA)) === "sent" ? true : undefined), 60_000);
  mark("approve after restart → sent", t);

  await sleep(3_000); // room for a late duplicate to show up
  const afterRestart = await fakeState();
  const replies = afterRestart.created.filter((c) => c.kind === "reply" && c.conversationId === String(zammadTicketId));
  const zammadSent = zammadStatus === "sent";
  // Exactly one reply once it completed; none (and no half-done record) while it has not.
  expect(replies, "replies in Zammad").toHaveLength(zammadSent ? 1 : 0);
  expect(
    afterRestart.created.filter((c) => c.kind === "reply"),
    "replies in Zammad, any ticket",
  ).toHaveLength(zammadSent ? 1 : 0);

  // In D1: one outbox row for the generic reply, none for Zammad (it goes to the help desk),
  // one recorded outbound call, one "reply.sent" audit event per sent task.
  const [outbox] = await d1<{ a: number; z: number; b: number }>(
    `select sum(task_id = '${waitingA}') as a, sum(task_id = '${retrying}') as z, sum(task_id = '${waitingB}') as b from outbox`,
  );
  expect({ a: Number(outbox!.a ?? 0), z: Number(outbox!.z ?? 0), b: Number(outbox!.b ?? 0) }).toEqual({ a: 1, z: 0, b: 0 });
  const calls = await d1<{ status: string; remote_id: string | null }>(
    `select status, remote_id from outbound_calls where task_id = '${retrying}' and kind = 'reply'`,
  );
  expect(calls).toHaveLength(1);
  if (zammadSent) expect(calls[0]).toMatchObject({ status: "done", remote_id: replies[0]!.remoteId });
  else expect(calls[0]!.status).not.toBe("done");
  const sentEvents = await d1<{ task_id: string; n: number }>(
    `select task_id, count(*) as n from audit_events where action = 'reply.sent' and task_id in ('${waitingA}', '${waitingB}', '${retrying}') group by task_id`,
  );
  expect(Object.fromEntries(sentEvents.map((r) => [r.task_id, Number(r.n)]))).toEqual(zammadSent ? { [waitingA]: 1, [retrying]: 1 } : { [waitingA]: 1 });

  // The other proposal is still waiting, untouched.
  expect(await taskStatus(agentAfter, waitingB)).toBe("awaiting_review");

  // j. Stop the app (afterAll stops whatever is left on failure, and removes the state).
  await stopApp(app, "SIGTERM");
  app = null;

  console.log(
    `restart test (${STOP_SIGNAL}${stopped.escalated ? "→SIGKILL" : ""}): ` +
      Object.entries(timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(", ") +
      `; ${scriptedBefore} scripted 503s before the stop; Zammad task after the restart: ${zammadStatus}`,
  );
});
