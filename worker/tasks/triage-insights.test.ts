// "Is triage helping?": tickets go through the real path (signed webhook,
// Workflow, drafter, a person's decision over REST, delivery), then the
// insights read model and its API count what happened per category and
// language, measure the edits, and judge the first responses against the SLA.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, addInvoiceCopyArticle, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import type { TriageInsights, TriageInsightsRow } from "../domain/insights";
import { taskIdFor } from "../intake/intake";
import { DEFAULT_POLICY } from "../policy/account-policy";
import { editRatioPermille } from "./edit-ratio";
import { triageInsights } from "./queries";
import { recordEntitlement } from "./transitions";

const db = getDb(env);
const task = async (id: string) => (await db.query.tasks.findFirst({ where: eq(schema.tasks.id, id) }))!;

async function intake(overrides: Record<string, unknown> = {}) {
  const t = ticket(overrides);
  const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  expect((await postWebhook(JSON.stringify({ ticket: t }))).status).toBe(202);
  return { taskId, instance };
}

async function proposalFor(taskId: string, round = 1) {
  await accountAgent(env, ACCOUNT);
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p && p.status === "awaiting_review" && p.round === round ? p : null;
  }, `proposal ${taskId} round ${round}`);
}

async function decide(taskId: string, body: object) {
  const res = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
    method: "POST",
    token: await signIn(USERS.agent.email),
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

const GERMAN = {
  subject: "Doppelte Abbuchung im November",
  body: "Guten Tag, auf meiner Kreditkarte sehe ich diesen Monat zwei Abbuchungen für den Pro-Tarif. Bitte prüfen Sie das und erstatten Sie den doppelten Betrag.",
};
const LOGIN = {
  subject: "Cannot log in to my account",
  body: "Hi, since this morning I cannot sign in: the password reset email never arrives and my login is locked. Please help me get access back.",
};

const row = (rows: TriageInsightsRow[], key: string) => rows.find((r) => r.key === key);

describe("edit ratio", () => {
  it("is 0 for the same text, small for a small edit, 1000 for a rewrite, and bounded on long texts", () => {
    const draft = "Hi Pat,\n\nWe are looking into the duplicate charge and will reply today.\n\nAcme Support";
    expect(editRatioPermille(draft, draft)).toBe(0);
    const small = editRatioPermille(draft, draft.replace("today", "tomorrow"));
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(100);
    expect(editRatioPermille("abc", "xyz")).toBe(1000);
    // Any change counts, however small against a long text.
    expect(editRatioPermille("a".repeat(10_000), `${"a".repeat(10_000)}b`)).toBe(1);
    const started = Date.now();
    const long = editRatioPermille("ab".repeat(10_000), "ba".repeat(10_000).slice(1));
    expect(long).toBeGreaterThan(0);
    expect(long).toBeLessThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("triage insights", () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // Four tickets in parallel: approved as drafted, edited, rejected (German), sent back then approved.
    const [approved, edited, rejected, revised] = await Promise.all([intake(), intake(), intake(GERMAN), intake(LOGIN)]);
    await Promise.all([approved, edited, rejected, revised].map((t) => proposalFor(t.taskId)));
    const draft = (await openProposal(env, ACCOUNT, edited.taskId))!.draft!;
    await decide(approved.taskId, { action: "approve" });
    await decide(edited.taskId, {
      action: "edit",
      body: `${draft.split("\n")[0]}\n\nWe refunded the second charge; it shows on your card within five days.\n\nAcme Support`,
    });
    await decide(rejected.taskId, { action: "reject", note: "answered by phone" });
    await decide(revised.taskId, { action: "revise", note: "Please mention the password reset page." });
    await proposalFor(revised.taskId, 2);
    await decide(revised.taskId, { action: "approve" });
    await Promise.all([approved, edited, rejected, revised].map((t) => t.instance.waitForStatus("complete")));

    // Sent without review under the auto-send policy (a cited answer: the account has an article on it):
    // its category and language are recorded all the same.
    await addInvoiceCopyArticle(env, ACCOUNT);
    const admin = await signIn(USERS.admin.email);
    const setPolicy = (autoSend: { enabled: boolean; minConfidence: number }) =>
      api(`/api/accounts/${ACCOUNT}/operations`, { method: "PATCH", token: admin, body: JSON.stringify({ policy: { ...DEFAULT_POLICY, autoSend } }) });
    expect((await setPolicy({ enabled: true, minConfidence: 0.8 })).status).toBe(200);
    const auto = await intake({ subject: "Invoice copy", body: "Could you send me last month's invoice again?" });
    await auto.instance.waitForStatus("complete");
    expect((await setPolicy(DEFAULT_POLICY.autoSend)).status).toBe(200);

    // The rejected ticket's deadline had passed when it was closed: an SLA miss.
    const late = await task(rejected.taskId);
    await recordEntitlement(
      env,
      rejected.taskId,
      { tier: "pro", plan: "Pro", slaHours: 8, customerName: null, company: null },
      new Date(Date.parse(late.completedAt!) - 60_000).toISOString(),
    );
    Object.assign(ids, { approved: approved.taskId, edited: edited.taskId, rejected: rejected.taskId, revised: revised.taskId, auto: auto.taskId });
  }, 90_000);

  it("records the language with the proposal, the edit ratio and the first response when the reply goes out", async () => {
    expect(await task(ids.approved!)).toMatchObject({ status: "sent", language: "en", category: "billing", editRatio: 0 });
    expect((await task(ids.approved!)).firstResponseAt).toBe((await task(ids.approved!)).completedAt);
    const edited = await task(ids.edited!);
    expect(edited).toMatchObject({ status: "sent", lastDecision: "edit" });
    expect(edited.editRatio).toBeGreaterThan(0);
    expect(edited.editRatio).toBeLessThanOrEqual(1000);
    expect(await task(ids.rejected!)).toMatchObject({ status: "rejected", language: "de", editRatio: null, firstResponseAt: null });
    expect(await task(ids.revised!)).toMatchObject({ status: "sent", round: 2, lastDecision: "approve", editRatio: 0 });
    expect(await task(ids.auto!)).toMatchObject({ status: "sent", automatic: true, language: "en", editRatio: 0 });
    expect((await task(ids.auto!)).category).not.toBeNull();
  });

  it("counts per category and per language what people did, with edit size, first response and SLA", async () => {
    const edited = await task(ids.edited!);
    const loginCategory = (await task(ids.revised!)).category!;
    const autoCategory = (await task(ids.auto!)).category!;
    const insights = await triageInsights(env, ACCOUNT, { days: 7 });

    expect(insights.totals).toMatchObject({ tasks: 5, approved: 2, edited: 1, rejected: 1, sentBack: 1, autoSent: 1, expired: 0, failed: 0, open: 0 });
    expect(insights.totals.editRatio).toEqual({ mean: edited.editRatio! / 1000, median: edited.editRatio! / 1000 });
    expect(insights.totals.firstResponse.responded).toBe(4);
    expect(insights.totals.firstResponse.medianSeconds).toBeGreaterThanOrEqual(0);
    expect(insights.totals.firstResponse.medianSeconds).toBeLessThan(600);
    // Four replies went out well within 8 hours; the rejected ticket was closed after its deadline.
    expect(insights.totals.sla).toEqual({ met: 4, measured: 5, share: 0.8 });

    expect(row(insights.byLanguage, "de")).toMatchObject({ tasks: 1, rejected: 1, approved: 0, sla: { met: 0, measured: 1, share: 0 } });
    expect(row(insights.byLanguage, "en")).toMatchObject({ tasks: 4, approved: 2, edited: 1, sentBack: 1, autoSent: 1, sla: { share: 1 } });
    const billing = row(insights.byCategory, "billing")!;
    expect(billing).toMatchObject({ edited: 1, rejected: 1 });
    expect(billing.editRatio.median).toBe(edited.editRatio! / 1000);
    expect(row(insights.byCategory, loginCategory)).toMatchObject({ sentBack: 1 });
    // Every task is in exactly one category row and one language row.
    const sum = (rows: TriageInsightsRow[]) => rows.reduce((n, r) => n + r.tasks, 0);
    expect(sum(insights.byCategory)).toBe(5);
    expect(sum(insights.byLanguage)).toBe(5);
    expect(insights.seen.languages).toEqual(["de", "en"]);
    expect(insights.seen.categories).toEqual(expect.arrayContaining(["billing", loginCategory, autoCategory]));
  });

  it("filters by category and language", async () => {
    const german = await triageInsights(env, ACCOUNT, { days: 30, category: "billing", language: "de" });
    expect(german.filter).toEqual({ category: "billing", language: "de" });
    expect(german.totals).toMatchObject({ tasks: 1, rejected: 1, approved: 0 });
    expect(german.byLanguage.map((r) => r.key)).toEqual(["de"]);
    expect(german.byCategory.map((r) => r.key)).toEqual(["billing"]);
    // The menus still offer everything seen in the window.
    expect(german.seen.languages).toEqual(["de", "en"]);

    const english = await triageInsights(env, ACCOUNT, { days: 30, language: "en" });
    expect(english.totals).toMatchObject({ tasks: 4, rejected: 0 });
    const none = await triageInsights(env, ACCOUNT, { days: 30, category: "outage" });
    expect(none.totals).toMatchObject({ tasks: 0, editRatio: { mean: null, median: null }, sla: { share: null } });
    expect(none.byCategory).toEqual([]);
  });

  it("is served to leads and admins over REST; agents get 403, bad parameters 400 naming the field", async () => {
    const path = `/api/accounts/${ACCOUNT}/insights/triage`;
    const lead = await signIn(USERS.lead.email);
    const res = await api(`${path}?days=7&category=billing&language=de`, { token: lead });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TriageInsights;
    expect(body).toMatchObject({ days: 7, filter: { category: "billing", language: "de" }, totals: { tasks: 1, rejected: 1 } });
    expect((await api(path, { token: await signIn(USERS.admin.email) })).status).toBe(200);
    expect((await api(path, { token: await signIn(USERS.agent.email) })).status).toBe(403);
    expect((await api(path)).status).toBe(401);
    // Another account's figures do not exist for this lead.
    expect((await api(`/api/accounts/globex/insights/triage`, { token: lead })).status).toBe(404);

    for (const [query, field] of [
      ["days=0", "days"],
      ["days=abc", "days"],
      ["days=91", "days"],
      ["language=xx", "language"],
      ["category=Not%20a%20category", "category"],
      ["status=sent", "(query)"],
    ] as const) {
      const bad = await api(`${path}?${query}`, { token: lead });
      expect(bad.status, query).toBe(400);
      const json = (await bad.json()) as { error: string; fields: { path: string; message: string }[] };
      expect(
        json.fields.map((f) => f.path),
        query,
      ).toContain(field);
    }
  });
});
