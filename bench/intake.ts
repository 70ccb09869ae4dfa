// Measures intake and drafting on a running app (`npm start`): how long a
// signed webhook takes to be accepted, and how long until its proposal waits
// for review. Bounded in count and time; 127.0.0.1 only. Prints JSON.
//
//   BASE_URL=http://127.0.0.1:5173 TICKETS=40 CONCURRENCY=4 npm run bench:intake
import { readDevVars } from "../scripts/lib/dev-vars.ts";
import { signHeaders } from "../scripts/lib/standard-webhooks.ts";

const BASE_URL = process.env.BASE_URL ?? "http://127.0.0.1:5173";
const TICKETS = Math.min(Number(process.env.TICKETS ?? 40), 200);
const CONCURRENCY = Math.min(Number(process.env.CONCURRENCY ?? 4), 16);
const DEADLINE_MS = 120_000;

if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(BASE_URL)) throw new Error("bench only targets the local app");
const vars = readDevVars();

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}
const stats = (v: number[]) => ({ p50: percentile(v, 50), p95: percentile(v, 95), max: percentile(v, 100) });

async function token(): Promise<string> {
  const res = await fetch(`${BASE_URL}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "agent@demo.test", password: vars.DEMO_PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`sign-in failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

const run = `BENCH-${Date.now()}`;
const sentAt = new Map<string, number>();
const acceptMs: number[] = [];
let failures = 0;

async function send(i: number) {
  const body = JSON.stringify({
    ticket: {
      id: `${run}-${i}`,
      subject: `Benchmark ticket ${i}: invoice question`,
      body: "Could you resend the invoice for last month? Our accounting needs the VAT number on it.",
      requester: { email: "bench@example.com", name: "Bench Mark" },
    },
  });
  const start = performance.now();
  const res = await fetch(`${BASE_URL}/webhooks/demo/generic`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signHeaders(vars.DEMO_WEBHOOK_SECRET!, body) },
    body,
  });
  acceptMs.push(performance.now() - start);
  if (res.status !== 202) {
    failures++;
    return;
  }
  sentAt.set(((await res.json()) as { taskId: string }).taskId, start);
}

const auth = await token();
const began = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < TICKETS) await send(next++);
  }),
);
const intakeSeconds = (performance.now() - began) / 1000;

const readyMs = new Map<string, number>();
while (readyMs.size < sentAt.size && performance.now() - began < DEADLINE_MS) {
  const res = await fetch(`${BASE_URL}/api/accounts/demo/proposals`, { headers: { authorization: `Bearer ${auth}` } });
  const { proposals } = (await res.json()) as { proposals: { taskId: string; status: string }[] };
  const now = performance.now();
  for (const p of proposals) {
    if (p.status === "awaiting_review" && sentAt.has(p.taskId) && !readyMs.has(p.taskId)) readyMs.set(p.taskId, now - sentAt.get(p.taskId)!);
  }
  await new Promise((r) => setTimeout(r, 100));
}

console.log(
  JSON.stringify(
    {
      bench: "intake",
      base_url: BASE_URL,
      tickets: TICKETS,
      concurrency: CONCURRENCY,
      accepted: sentAt.size,
      failed: failures,
      accept_ms: stats(acceptMs),
      intake_per_second: Math.round((TICKETS / intakeSeconds) * 10) / 10,
      proposals_ready: readyMs.size,
      ticket_to_proposal_ms: readyMs.size ? stats([...readyMs.values()]) : null,
    },
    null,
    2,
  ),
);
