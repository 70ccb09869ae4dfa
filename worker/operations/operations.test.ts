// The operating controls and the failure handling, through the real Worker,
// Workflow, Durable Object and D1.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ACCOUNT, addInvoiceCopyArticle, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
import type { TaskStatus } from "../domain/types";
import { taskIdFor } from "../intake/intake";
import { DEFAULT_POLICY, slaDueAt } from "../policy/account-policy";
import { operatingState } from "../policy/operating-state";
import { detectRisk } from "../policy/risk";
import { inRollout, rolloutBucket } from "../policy/rollout";
import { dailyFiguresFor } from "../tasks/queries";
import { deleteAccountCategory, saveAccountCategory } from "./settings";

const db = getDb(env);
const task = (id: string) => db.query.tasks.findFirst({ where: eq(schema.tasks.id, id) });
const outboxFor = (id: string) => db.select().from(schema.outbox).where(eq(schema.outbox.taskId, id));

async function admin() {
  return signIn(USERS.admin.email);
}

async function setOps(patch: Record<string, unknown>, token?: string) {
  const res = await api(`/api/accounts/${ACCOUNT}/operations`, { method: "PATCH", token: token ?? (await admin()), body: JSON.stringify(patch) });
  return res;
}

async function newTicket(overrides: Record<string, unknown> = {}) {
  const t = ticket(overrides);
  const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  const res = await postWebhook(JSON.stringify({ ticket: t }));
  return { t, taskId, instance, res, body: res.status < 300 ? ((await res.json()) as { taskId: string; status: TaskStatus }) : null };
}

async function awaitingReview(taskId: string) {
  await accountAgent(env, ACCOUNT);
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p?.status === "awaiting_review" ? p : null;
  }, `proposal ${taskId}`);
}

async function decide(taskId: string, body: object, token?: string) {
  return api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
    method: "POST",
    token: token ?? (await signIn(USERS.agent.email)),
    body: JSON.stringify(body),
  });
}

afterEach(async () => {
  // Every test starts from the defaults.
  await db.delete(schema.accountSettings);
  await db.delete(schema.systemSettings);
});

describe("operations settings", () => {
  it("are for admins only, validated, and audited", async () => {
    expect((await setOps({ rolloutPercent: 50 }, await signIn(USERS.lead.email))).status).toBe(403);
    expect((await setOps({ rolloutPercent: 50 }, await signIn(USERS.outsider.email))).status).toBe(404);
    const bad = await setOps({ rolloutPercent: 150, maxInFlight: 0 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: { path: string }[] }).fields.map((f) => f.path).sort()).toEqual(["maxInFlight", "rolloutPercent"]);
    const ok = await setOps({ rolloutPercent: 50 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ rolloutPercent: 50, updatedBy: `user:${USERS.admin.email}` });
    const audit = await db.query.auditEvents.findFirst({ where: eq(schema.auditEvents.action, "operations.updated") });
    expect(audit).toMatchObject({ actor: `user:${USERS.admin.email}`, before: { rolloutPercent: 100 }, after: { rolloutPercent: 50 } });
  });
});

describe("account categories and handoff queues", () => {
  const category = {
    id: "csv-import",
    name: "CSV import",
    description: "Importing contacts from CSV or Excel files.",
    examples: ["The CSV import stops after a few hundred rows"],
    handoffQueue: "data-onboarding",
  };
  const fieldsOf = async (res: Response) => ((await res.json()) as { fields: { path: string; message: string }[] }).fields;

  it("are validated with a message per field", async () => {
    const bad = await setOps({
      policy: {
        ...DEFAULT_POLICY,
        categories: [
          { ...category, id: "billing" },
          { ...category, id: "Not A Slug", examples: [] },
          { ...category, id: "ok-one", name: "", examples: Array.from({ length: 21 }, () => "x"), handoffQueue: "Tier 3!" },
          { ...category, id: "ok-two", description: "d".repeat(301), examples: ["e".repeat(301)] },
        ],
        languageQueues: { de: "dach team", xx: "tier-2" },
        categoryQueues: { billing: "-finance" },
      },
    });
    expect(bad.status).toBe(400);
    const fields = await fieldsOf(bad);
    expect(fields.map((f) => f.path).sort()).toEqual(
      [
        "policy.categories.0.id",
        "policy.categories.1.id",
        "policy.categories.1.examples",
        "policy.categories.2.name",
        "policy.categories.2.examples",
        "policy.categories.2.handoffQueue",
        "policy.categories.3.description",
        "policy.categories.3.examples.0",
        "policy.languageQueues",
        "policy.languageQueues.de",
        "policy.categoryQueues.billing",
      ].sort(),
    );
    expect(fields.find((f) => f.path === "policy.categories.0.id")!.message).toContain("built-in category");
    expect(fields.find((f) => f.path === "policy.languageQueues.de")!.message).toContain("lowercase letters, digits and hyphens");
    expect(fields.find((f) => f.path === "policy.languageQueues")!.message).toBe(
      "not a language triage recognises: xx (expected one of en, de, es, fr, pt, it, nl, pl)",
    );
    // Two valid categories with one id: the second is refused.
    const twice = await setOps({ policy: { ...DEFAULT_POLICY, categories: [category, { ...category, name: "Again" }] } });
    expect(await fieldsOf(twice)).toEqual([{ path: "policy.categories.1.id", message: 'another category already has the id "csv-import"' }]);
    const tooMany = await setOps({ policy: { ...DEFAULT_POLICY, categories: Array.from({ length: 21 }, (_, i) => ({ ...category, id: `c-${i}` })) } });
    expect(await fieldsOf(tooMany)).toEqual([{ path: "policy.categories", message: "at most 20 categories" }]);
  });

  it("are for admins, audited, and kept when a client saves a policy without them", async () => {
    const policy = { ...DEFAULT_POLICY, categories: [category], languageQueues: { de: "dach-team" }, categoryQueues: { billing: "finance" } };
    expect((await setOps({ policy }, await signIn(USERS.lead.email))).status).toBe(403);
    const ok = await setOps({ policy });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { policy: unknown }).policy).toMatchObject({ categories: [category], languageQueues: { de: "dach-team" } });
    const audit = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "operations.updated"));
    expect(audit.at(-1)).toMatchObject({ actor: `user:${USERS.admin.email}`, after: { policy: { categories: [category] } } });

    // A client that predates categories sends the old shape: what it leaves out stays as saved.
    const { categories: _c, languageQueues: _l, categoryQueues: _q, ...older } = policy;
    const again = await setOps({ policy: { ...older, nearBreachMinutes: 90 } });
    expect(((await again.json()) as { policy: unknown }).policy).toMatchObject({
      nearBreachMinutes: 90,
      categories: [category],
      categoryQueues: { billing: "finance" },
    });
  });

  it("are added, edited and deleted one at a time from the Operations page, with the form's field names", async () => {
    const admin = {
      id: USERS.admin.id,
      email: USERS.admin.email,
      name: USERS.admin.name,
      memberships: [{ accountId: ACCOUNT, accountName: "Acme", role: "admin" as const }],
    };
    const lead = { ...admin, memberships: [{ accountId: ACCOUNT, accountName: "Acme", role: "lead" as const }] };
    await expect(saveAccountCategory(env, lead, ACCOUNT, null, category)).rejects.toMatchObject({ status: 403 });
    await saveAccountCategory(env, admin, ACCOUNT, null, category);
    const refused = await saveAccountCategory(env, admin, ACCOUNT, null, { ...category, name: "", examples: ["fine", " "] }).catch((e: HttpError) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).fields).toEqual([
      { path: "category.name", message: "a name is required" },
      { path: "category.examples", message: "example 2: an example is empty" },
    ]);
    await expect(saveAccountCategory(env, admin, ACCOUNT, null, category)).rejects.toMatchObject({
      fields: [{ path: "category.id", message: 'another category already has the id "csv-import"' }],
    });
    const renamed = await saveAccountCategory(env, admin, ACCOUNT, "csv-import", { ...category, id: "data-import", handoffQueue: null });
    expect(renamed.policy.categories).toEqual([{ ...category, id: "data-import", handoffQueue: null }]);
    const deleted = await deleteAccountCategory(env, admin, ACCOUNT, "data-import");
    expect(deleted.policy.categories).toEqual([]);
    await expect(deleteAccountCategory(env, admin, ACCOUNT, "data-import")).rejects.toMatchObject({ status: 404 });
    const actions = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "operations.updated"));
    expect(actions.slice(-3).map((a) => (a.after as { policy: { categories: { id: string }[] } }).policy.categories.map((c) => c.id))).toEqual([
      ["csv-import"],
      ["data-import"],
      [],
    ]);
  });
});

describe("kill switch", () => {
  it("stores new tickets without triaging them, and starts them when lifted", async () => {
    await setOps({ killSwitch: true });
    const { taskId, res, body } = await newTicket();
    expect(res.status).toBe(202);
    expect(body).toMatchObject({ taskId, status: "held" });
    expect(await task(taskId)).toMatchObject({ status: "held", attemptedAt: null });
    await setOps({ killSwitch: false });
    await awaitingReview(taskId);
  });

  it("stops a running task before it sends, and resumes when lifted", async () => {
    const { taskId, instance } = await newTicket();
    await awaitingReview(taskId);
    await setOps({ killSwitch: true });
    expect((await decide(taskId, { action: "approve" })).status).toBe(200);
    // The send step looks at the switch first and does nothing while it is on.
    expect(await instance.waitForStepResult({ name: "send reply" })).toEqual({ paused: true });
    expect(await outboxFor(taskId)).toHaveLength(0);
    await setOps({ killSwitch: false });
    await instance.waitForStatus("complete");
    expect(await outboxFor(taskId)).toHaveLength(1);
  });

  it("has a global switch that only operators can set", async () => {
    const put = (body: object, token?: string) =>
      api("/api/ops/kill-switch", { method: "PUT", headers: token ? { authorization: `Bearer ${token}` } : {}, body: JSON.stringify(body) });
    expect((await put({ on: true })).status).toBe(401);
    expect((await put({ on: true }, await admin())).status).toBe(401);
    expect((await put({ on: true, reason: "incident 42" }, "test-ops-token")).status).toBe(200);
    expect(await operatingState(env, ACCOUNT)).toMatchObject({ globalKillSwitch: true, killSwitch: false });
    const { body } = await newTicket();
    expect(body!.status).toBe("held");
    expect((await put({ on: false }, "test-ops-token")).status).toBe(200);
    await awaitingReview(body!.taskId);
  });
});

describe("rollout gate", () => {
  it("triages a stable share of tickets chosen by ticket id", async () => {
    expect(rolloutBucket("generic:4711")).toBe(rolloutBucket("generic:4711"));
    const ids = Array.from({ length: 400 }, (_, i) => `generic:T-${i}`);
    const share = ids.filter((id) => inRollout(30, id)).length / ids.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);

    await setOps({ rolloutPercent: 0 });
    const { taskId, body } = await newTicket();
    expect(body!.status).toBe("skipped");
    expect(await task(taskId)).toMatchObject({ status: "skipped" });
    // A redelivery is a duplicate and stays as it was, even with the gate open.
    await setOps({ rolloutPercent: 100 });
    const stored = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) }))!;
    const again = await postWebhook(
      JSON.stringify({
        ticket: { id: stored.externalId, subject: stored.subject, body: stored.body, requester: { email: stored.requesterEmail, name: stored.requesterName } },
      }),
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ taskId, duplicate: true, status: "skipped" });
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past the account's tickets per minute, storing nothing", async () => {
    await setOps({ ticketsPerMinute: 2 });
    const before = (await db.select().from(schema.tickets)).length;
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await postWebhook(JSON.stringify({ ticket: ticket() })));
    const limited = results.find((r) => r.status === 429)!;
    expect(limited).toBeDefined();
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: `too many tickets for account "${ACCOUNT}": the limit is 2 per minute` });
    expect((await db.select().from(schema.tickets)).length).toBe(before + results.filter((r) => r.status === 202).length);
  });

  it("limits decisions per person per minute", async () => {
    await setOps({ decisionsPerMinute: 1 });
    // The admin has made no decision in this file; the agent has (same minute window).
    const token = await admin();
    const first = await decide("t_nonexistent", { action: "approve" }, token);
    expect(first.status).toBe(404);
    const second = await decide("t_nonexistent", { action: "approve" }, token);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toMatch(/^\d+$/);
    // Another person has their own budget.
    expect((await decide("t_nonexistent", { action: "approve" }, await signIn(USERS.lead.email))).status).toBe(404);
  });
});

describe("backpressure", () => {
  it("queues tickets past the drafting cap and starts each as a draft finishes, dropping nothing", async () => {
    const agent = await accountAgent(env, ACCOUNT);
    // Whatever earlier tests left holds slots; start from a known count.
    const open = await db
      .select({ id: schema.tasks.id })
      .from(schema.tasks)
      .where(and(eq(schema.tasks.accountId, ACCOUNT)));
    for (const { id } of open) await agent.releaseTask(id);
    await setOps({ maxInFlight: 1 });
    // The first ticket's draft fails once, so it holds the only slot through a 5-second retry.
    const t = ticket();
    const firstId = await taskIdFor(ACCOUNT, "generic", t.id);
    const firstInstance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, firstId);
    await firstInstance.modify(async (m) => m.mockStepError({ name: "draft round 1" }, new Error("model busy"), 1));
    const firstRes = await postWebhook(JSON.stringify({ ticket: t }));
    expect(((await firstRes.json()) as { status: string }).status).toBe("received");
    const second = await newTicket();
    expect(second.body!.status).toBe("queued");
    expect(await task(second.taskId)).toMatchObject({ status: "queued" });
    // Nobody decides anything: the first draft finishing frees the slot for the second.
    await awaitingReview(firstId);
    await awaitingReview(second.taskId);
    const [a, b] = [await task(firstId), await task(second.taskId)];
    expect(Date.parse(b!.attemptedAt!)).toBeGreaterThan(Date.parse(a!.attemptedAt!));
    await setOps({ maxInFlight: 50 });
  });
});

describe("freeze", () => {
  it("keeps a frozen account read-only until it is unfrozen", async () => {
    const { taskId } = await newTicket();
    await awaitingReview(taskId);
    await setOps({ frozen: true });
    const webhook = await postWebhook(JSON.stringify({ ticket: ticket() }));
    expect(webhook.status).toBe(423);
    expect((await decide(taskId, { action: "approve" })).status).toBe(423);
    expect((await setOps({ rolloutPercent: 10 })).status).toBe(423);
    // Reading still works.
    expect((await api(`/api/accounts/${ACCOUNT}/tasks`, { token: await signIn(USERS.agent.email) })).status).toBe(200);
    expect((await setOps({ frozen: false })).status).toBe(200);
    expect((await decide(taskId, { action: "approve" })).status).toBe(200);
  });
});

describe("policy", () => {
  it("sends a risk-free, high-confidence, cited answer automatically only when the account enables it, and says so", async () => {
    // Auto-send never applies to an uncited answer: the account has an article that answers this ticket.
    await addInvoiceCopyArticle(env, ACCOUNT);
    await setOps({ policy: { ...DEFAULT_POLICY, autoSend: { enabled: true, minConfidence: 0.8 } } });
    const { taskId, instance } = await newTicket({ subject: "Invoice copy", body: "Could you send me last month's invoice again?" });
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "sent" });
    expect(await task(taskId)).toMatchObject({ status: "sent", automatic: true, outcome: "sent_automatic", corrected: false });
    const audit = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.taskId, taskId));
    expect(audit.map((a) => a.action)).toContain("decision.auto_approve");
    expect(audit.find((a) => a.action === "reply.sent")!.after).toMatchObject({ automatic: true });
  });

  it("still waits for a person on tiers that always get review, on low confidence, and without the setting", async () => {
    await setOps({ policy: { ...DEFAULT_POLICY, autoSend: { enabled: true, minConfidence: 0.8 } } });
    // Enterprise: always reviewed (and handed off to the policy's queue).
    const ent = await newTicket({ requester: { email: "cto@bigco.test", name: "Morgan Chief" } });
    const p = await awaitingReview(ent.taskId);
    expect(p.handoff).toMatchObject({ queue: "account-management" });
    // Unknown customer: lower confidence, and the unknown tier is reviewed by default.
    const unknown = await newTicket({ requester: { email: "stranger@nowhere.test", name: "Sam" } });
    await awaitingReview(unknown.taskId);
    await db.delete(schema.accountSettings);
    const off = await newTicket();
    await awaitingReview(off.taskId);
    for (const id of [ent.taskId, unknown.taskId, off.taskId]) expect(await outboxFor(id)).toHaveLength(0);
  });

  it("detects risky clauses that must always go to a person", () => {
    expect(detectRisk("We have refunded the duplicate charge.").map((r) => r.kind)).toEqual(["refund"]);
    expect(
      detectRisk("We'll add a credit of $20 to your account.")
        .map((r) => r.kind)
        .sort(),
    ).toEqual(["credit", "money"]);
    expect(detectRisk("This will be fixed by Friday.").map((r) => r.kind)).toEqual(["date_promise"]);
    expect(detectRisk("I have cancelled your subscription.").map((r) => r.kind)).toEqual(["account_change"]);
    expect(
      detectRisk("Legally we guarantee no data was accessed.")
        .map((r) => r.kind)
        .sort(),
    ).toEqual(["legal", "security"]);
    expect(detectRisk("Thanks for reaching out; we are looking into it and will reply within 8 hours.")).toEqual([]);
  });

  it("sets the SLA due time from the tier and priority targets", async () => {
    const { taskId } = await newTicket({ priority: "urgent" });
    const p = await awaitingReview(taskId);
    const t = (await task(taskId))!;
    const ticketRow = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) }))!;
    // Pro (pat@customer.test) and urgent: 60 minutes by default.
    expect(Date.parse(t.dueAt!) - Date.parse(ticketRow.receivedAt)).toBe(60 * 60_000);
    expect(p.dueAt).toBe(t.dueAt);
  });

  it("brings the due time forward when the customer's plan promises a shorter first response than the policy", async () => {
    const at = "2026-12-01T09:00:00.000Z";
    const minutes = (iso: string) => (Date.parse(iso) - Date.parse(at)) / 60_000;
    // Enterprise normal is 240 minutes by policy; a 2-hour plan makes it 120.
    expect(minutes(slaDueAt(DEFAULT_POLICY, "enterprise", "normal", at, 2))).toBe(120);
    // A plan slower than the policy leaves the policy's target; no plan hours, the policy alone.
    expect(minutes(slaDueAt(DEFAULT_POLICY, "pro", "urgent", at, 8))).toBe(60);
    expect(minutes(slaDueAt(DEFAULT_POLICY, "pro", "low", at))).toBe(1440);
    // End to end: the demo enterprise customer (a 2-hour plan) with a normal-priority ticket.
    const { taskId } = await newTicket({ requester: { email: "cto@bigco.test", name: "Morgan Chief" }, priority: "normal" });
    await awaitingReview(taskId);
    const t = (await task(taskId))!;
    const ticketRow = (await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) }))!;
    expect(Date.parse(t.dueAt!) - Date.parse(ticketRow.receivedAt)).toBe(120 * 60_000);
  });

  it("leaves a disabled tool out of the agent's hands", async () => {
    await setOps({ policy: { ...DEFAULT_POLICY, disabledTools: ["file_handoff"] } });
    const { taskId } = await newTicket({ requester: { email: "cto@bigco.test", name: "Morgan Chief" } });
    const p = await awaitingReview(taskId);
    expect(p.toolCalls.map((c) => c.tool)).not.toContain("file_handoff");
    expect(p.handoff).toBeNull();
  });
});

describe("failures", () => {
  it("ends cleanly with a note when the entitlement lookup keeps timing out", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.forceStepTimeout({ name: "look up entitlement" });
    });
    await postWebhook(JSON.stringify({ ticket: t }));
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "failed" });
    expect(await task(taskId)).toMatchObject({ status: "failed", note: expect.stringMatching(/^Failed: Entitlement lookup failed after retries/) });
  });

  it("ends cleanly when drafting keeps failing", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    await instance.modify(async (m) => {
      await m.disableRetryDelays();
      await m.mockStepError({ name: "draft round 1" }, new Error("model unavailable"));
    });
    await postWebhook(JSON.stringify({ ticket: t }));
    await instance.waitForStatus("complete");
    expect(await task(taskId)).toMatchObject({ status: "failed", note: expect.stringContaining("model unavailable") });
  });

  it("takes the first of two decision events and changes nothing for the second", async () => {
    const { taskId, instance } = await newTicket();
    await awaitingReview(taskId);
    expect((await decide(taskId, { action: "approve" })).status).toBe(200);
    // A duplicate event for the same round (e.g. a replayed message) arrives too.
    const handle = await env.TRIAGE_WORKFLOW.get(taskId);
    await handle.sendEvent({ type: "decision-1", payload: { action: "reject", actor: "user:x", round: 1 } });
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "sent" });
    expect(await outboxFor(taskId)).toHaveLength(1);
    expect(await task(taskId)).toMatchObject({ status: "sent" });
  });

  it("keeps the daily figures right through held, skipped, queued and failed tasks", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rows = await db
      .select()
      .from(schema.tasks)
      .where(and(eq(schema.tasks.accountId, ACCOUNT), eq(schema.tasks.attemptedDay, today)));
    const figures = (await dailyFiguresFor(env, ACCOUNT, 1))[0]!;
    expect(figures.attempted).toBe(rows.length);
    expect(figures.completed).toBe(rows.filter((r) => r.status === "sent").length);
    expect(figures.corrected).toBe(rows.filter((r) => r.corrected).length);
    // Tasks that never ran (held then started count once; skipped never) are not attempted.
    const skipped = await db.select().from(schema.tasks).where(eq(schema.tasks.status, "skipped"));
    expect(skipped.every((s) => s.attemptedDay === null)).toBe(true);
  });
});

describe("audit export", () => {
  it("downloads the account's audit trail as JSONL and CSV, for leads and admins", async () => {
    expect((await api(`/api/accounts/${ACCOUNT}/audit.jsonl`, { token: await signIn(USERS.agent.email) })).status).toBe(403);
    const lead = await signIn(USERS.lead.email);
    const jsonl = await api(`/api/accounts/${ACCOUNT}/audit.jsonl`, { token: lead });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-acme-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const lines = (await jsonl.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(5);
    expect(lines[0]).toHaveProperty("action");
    expect(new Set(lines.map((l) => l.id)).size).toBe(lines.length);
    const csv = await (await api(`/api/accounts/${ACCOUNT}/audit.csv`, { token: lead })).text();
    const csvLines = csv.trim().split("\r\n");
    expect(csvLines[0]).toBe("id,created_at,actor,action,task_id,artifact,before,after");
    expect(csvLines.length).toBeGreaterThanOrEqual(lines.length + 1);
    expect((await api(`/api/accounts/${ACCOUNT}/audit.xml`, { token: lead })).status).toBe(404);
  });
});
