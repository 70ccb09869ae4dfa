// Samples for quality review: the policy setting, capture through a real
// drafted ticket (webhook, Workflow, drafter, D1) with customer data redacted,
// the size cap, paging, the JSONL export, expiry and who may read them.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, OTHER_ACCOUNT, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
import type { Json, SessionUser } from "../domain/types";
import { taskIdFor } from "../intake/intake";
import { updateOperations } from "../operations/settings";
import { DEFAULT_POLICY } from "../policy/account-policy";
import { operatingState } from "../policy/operating-state";
import { capJson, deleteExpiredSamples, isSampled, keepSample, SAMPLE_INPUT_MAX_BYTES, sampleById, samplePage } from "./samples";

const db = getDb(env);
const ADMIN: SessionUser = {
  id: USERS.admin.id,
  email: USERS.admin.email,
  name: USERS.admin.name,
  memberships: [{ accountId: ACCOUNT, accountName: "Acme Support", role: "admin" }],
};

/** Customer data of every kind, as a customer writes it. */
const PRIVATE = {
  email: "jordan.miles@private-mail.test",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
  iban: "DE89 3704 0044 0532 0130 00",
  address: "221B Baker Street",
};

async function setSamples(samples: { share: number; keepDays: number }) {
  const { policy } = await operatingState(env, ACCOUNT);
  return updateOperations(env, ADMIN, ACCOUNT, { policy: { ...policy, samples } });
}

async function draftTicket(overrides: Record<string, unknown> = {}) {
  const t = ticket(overrides);
  const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  expect((await postWebhook(JSON.stringify({ ticket: t }))).status).toBe(202);
  await accountAgent(env, ACCOUNT);
  await eventually(async () => (await openProposal(env, ACCOUNT, taskId))?.status === "awaiting_review", `proposal ${taskId} awaiting review`);
  return { taskId, instance };
}

const samplesOf = (taskId: string) => db.select().from(schema.draftSamples).where(eq(schema.draftSamples.taskId, taskId));

afterEach(async () => {
  await db.delete(schema.accountSettings);
});

describe("the samples policy", () => {
  it("defaults to 5 % kept for 30 days, saves a change (audited) and refuses values out of bounds by field", async () => {
    expect((await operatingState(env, ACCOUNT)).policy.samples).toEqual({ share: 5, keepDays: 30 });
    expect(DEFAULT_POLICY.samples).toEqual({ share: 5, keepDays: 30 });

    const saved = await setSamples({ share: 12.5, keepDays: 90 });
    expect(saved.policy.samples).toEqual({ share: 12.5, keepDays: 90 });
    const [audit] = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "operations.updated"));
    expect(audit).toBeDefined();

    for (const [samples, path] of [
      [{ share: 101, keepDays: 30 }, "policy.samples.share"],
      [{ share: -1, keepDays: 30 }, "policy.samples.share"],
      [{ share: 5, keepDays: 0 }, "policy.samples.keepDays"],
      [{ share: 5, keepDays: 366 }, "policy.samples.keepDays"],
      [{ share: 5, keepDays: 1.5 }, "policy.samples.keepDays"],
    ] as const) {
      const err = await setSamples(samples).catch((e: unknown) => e);
      expect(err, JSON.stringify(samples)).toBeInstanceOf(HttpError);
      expect((err as HttpError).fields?.map((f) => f.path)).toEqual([path]);
    }
    // A client that does not send the samples keeps them as saved.
    const { samples: _kept, ...withoutSamples } = (await operatingState(env, ACCOUNT)).policy;
    const later = await updateOperations(env, ADMIN, ACCOUNT, { policy: { ...withoutSamples, nearBreachMinutes: 45 } });
    expect(later.policy.samples).toEqual({ share: 12.5, keepDays: 90 });
  });

  it("picks rounds by a hash of task and round: the same answer every time, none at 0 %, all at 100 %, about the share between", async () => {
    expect(await isSampled("t_x", 1, 0)).toBe(false);
    expect(await isSampled("t_x", 1, 100)).toBe(true);
    const picks = await Promise.all(Array.from({ length: 400 }, (_, i) => isSampled(`t_${i}`, 1, 25)));
    const kept = picks.filter(Boolean).length;
    expect(kept).toBeGreaterThan(60);
    expect(kept).toBeLessThan(140);
    expect(await Promise.all(Array.from({ length: 20 }, (_, i) => isSampled(`t_${i}`, 1, 25)))).toEqual(picks.slice(0, 20));
  });
});

describe("capturing samples of real drafting rounds", () => {
  it("at 100 % keeps the round: the prompt, the thread with the ticket's text and the proposal, all customer data redacted", async () => {
    await setSamples({ share: 100, keepDays: 30 });
    const { taskId } = await draftTicket({
      subject: "Refund to my bank account",
      body: `Please refund to IBAN ${PRIVATE.iban}. You charged card ${PRIVATE.card} twice. Call me on ${PRIVATE.phone} or write to ${PRIVATE.email}. I moved to ${PRIVATE.address}.`,
    });
    const [row] = await eventually(async () => {
      const rows = await samplesOf(taskId);
      return rows.length ? rows : null;
    }, "the sample");
    expect(row).toMatchObject({ accountId: ACCOUNT, taskId, round: 1, model: "offline" });
    const stored = JSON.stringify([row!.input, row!.output]);
    for (const value of [...Object.values(PRIVATE), "pat@customer.test"]) expect(stored).not.toContain(value);
    for (const marker of ["[email]", "[phone]", "[card]", "[iban]", "[address]"]) expect(stored).toContain(marker);
    expect(row!.redactions).toMatchObject({ email: expect.any(Number), phone: expect.any(Number), card: expect.any(Number), iban: expect.any(Number) });

    const input = row!.input as { system: string; messages: { role: string; content: unknown }[] };
    expect(input.system).toContain("support triage agent for Acme Support");
    expect(JSON.stringify(input.messages)).toContain("Please refund to IBAN [iban]");
    const output = row!.output as { draft: string; toolCalls: { name: string; status: string }[]; plan: string[]; confidence: number };
    expect(output.draft.length).toBeGreaterThan(20);
    expect(output.toolCalls.map((c) => c.name)).toContain("read_ticket");
    expect(output.toolCalls.at(-1)).toMatchObject({ name: "send_reply", status: "awaiting_approval" });

    // The reviewer's edit shows beside the sample, read from the audit trail (redacted like the sample).
    const res = await api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
      method: "POST",
      token: await signIn(USERS.agent.email),
      body: JSON.stringify({ action: "edit", body: `Hello, we refunded the charge. Reach us at ${PRIVATE.phone}.` }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const shown = await eventually(async () => {
      const s = await sampleById(env, ACCOUNT, row!.id);
      return s?.decision?.editRatioPermille != null ? s : null;
    }, "the decision and its edit size beside the sample");
    expect(shown.decision).toMatchObject({
      action: "edit",
      by: `user:${USERS.agent.email}`,
      edited: true,
      body: "Hello, we refunded the charge. Reach us at [phone].",
    });
    expect(shown.decision!.editRatioPermille).toBeGreaterThan(0);
  });

  it("at 0 % keeps none", async () => {
    await setSamples({ share: 0, keepDays: 30 });
    const { taskId } = await draftTicket({ body: `Call me on ${PRIVATE.phone}` });
    expect(await samplesOf(taskId)).toEqual([]);
  });
});

describe("the writer", () => {
  it("caps a sample's size by shortening the longest strings, with a marker, and keeps the rest whole", async () => {
    const huge = `${"Lorem ipsum dolor sit amet. ".repeat(20_000)}`;
    const id = await keepSample(env, {
      accountId: OTHER_ACCOUNT,
      taskId: "t_cap",
      round: 1,
      model: "offline",
      input: {
        system: "short prompt",
        messages: [
          { role: "tool", content: huge },
          { role: "user", content: "requester_email: a@b.test" },
        ],
      },
      output: { draft: "ok" },
      keepDays: 30,
    });
    const [row] = await db.select().from(schema.draftSamples).where(eq(schema.draftSamples.id, id));
    expect(new TextEncoder().encode(JSON.stringify(row!.input)).length).toBeLessThanOrEqual(SAMPLE_INPUT_MAX_BYTES);
    const input = row!.input as { system: string; messages: { content: string }[] };
    expect(input.system).toBe("short prompt");
    expect(input.messages[0]!.content).toMatch(/^Lorem ipsum.*…\[truncated \d+ characters\]$/s);
    expect(input.messages[1]!.content).toBe("requester_email: [email]");
    // Many mid-sized strings: each is cut until the whole fits.
    const many = capJson(Array.from({ length: 50 }, () => "x".repeat(5_000)) as Json, 64 * 1024);
    expect(JSON.stringify(many).length).toBeLessThanOrEqual(64 * 1024);
  });

  it("keeps a round once, however often it is kept again", async () => {
    const s = { accountId: OTHER_ACCOUNT, taskId: "t_once", round: 2, model: "offline", input: "first", output: {}, keepDays: 30 };
    const id = await keepSample(env, s);
    expect(await keepSample(env, { ...s, input: "second" })).toBe(id);
    const rows = await samplesOf("t_once");
    expect(rows.map((r) => r.input)).toEqual(["first"]);
  });

  it("pages one account's samples newest first with next and previous cursors, and refuses a cursor it did not give", async () => {
    const base = Date.parse("2026-06-01T00:00:00Z");
    for (let i = 0; i < 7; i++) {
      await keepSample(env, {
        accountId: OTHER_ACCOUNT,
        taskId: `t_page_${i}`,
        round: 1,
        model: "offline",
        input: "x",
        output: {},
        keepDays: 365,
        now: new Date(base + i * 60_000),
      });
    }
    const listed = async (cursor?: string) => samplePage(env, OTHER_ACCOUNT, { limit: 3, cursor });
    const onlyPaged = (p: Awaited<ReturnType<typeof listed>>) => p.samples.map((s) => s.taskId).filter((id) => id.startsWith("t_page_"));
    // Other tests' samples of this account are newer (now): page until ours.
    let page = await listed();
    expect(page.prevCursor).toBeNull();
    const seen: string[] = [];
    const pages: Awaited<ReturnType<typeof listed>>[] = [page];
    seen.push(...onlyPaged(page));
    while (page.nextCursor) {
      page = await listed(page.nextCursor);
      pages.push(page);
      seen.push(...onlyPaged(page));
    }
    expect(seen).toEqual(["t_page_6", "t_page_5", "t_page_4", "t_page_3", "t_page_2", "t_page_1", "t_page_0"]);
    // Previous from the second page is the first page again.
    const back = await listed(pages[1]!.prevCursor!);
    expect(back.samples.map((s) => s.id)).toEqual(pages[0]!.samples.map((s) => s.id));
    expect(back.prevCursor).toBeNull();
    // Never another account's.
    expect((await samplePage(env, ACCOUNT, { limit: 100 })).samples.some((s) => s.taskId.startsWith("t_page_"))).toBe(false);
    const bad = await listed("bm90LWEtY3Vyc29y").catch((e: unknown) => e);
    expect((bad as HttpError).status).toBe(400);

    // The largest page the API allows: more tasks than D1 binds in one query.
    for (let i = 7; i < 100; i++) {
      await keepSample(env, {
        accountId: OTHER_ACCOUNT,
        taskId: `t_page_${i}`,
        round: 1,
        model: "offline",
        input: "x",
        output: {},
        keepDays: 365,
        now: new Date(base + i * 60_000),
      });
    }
    const full = await samplePage(env, OTHER_ACCOUNT, { limit: 100 });
    expect(full.samples).toHaveLength(100);
    expect(full.nextCursor).not.toBeNull();
  });

  it("deletes samples past their expiry and keeps the others, also from the account agent's daily purge", async () => {
    const now = Date.now();
    const keep = (taskId: string, daysAgo: number, keepDays: number) =>
      keepSample(env, {
        accountId: OTHER_ACCOUNT,
        taskId,
        round: 1,
        model: "offline",
        input: "x",
        output: {},
        keepDays,
        now: new Date(now - daysAgo * 86_400_000),
      });
    const expiredId = await keep("t_expired", 10, 7);
    const freshId = await keep("t_fresh", 10, 30);
    // Readers no longer see an expired sample, even before the purge runs.
    expect(await sampleById(env, OTHER_ACCOUNT, expiredId)).toBeNull();
    expect(await sampleById(env, OTHER_ACCOUNT, freshId)).not.toBeNull();
    const listed = (await samplePage(env, OTHER_ACCOUNT, { limit: 100 })).samples.map((x) => x.id);
    expect(listed).toContain(freshId);
    expect(listed).not.toContain(expiredId);
    expect(await deleteExpiredSamples(env, OTHER_ACCOUNT)).toBe(1);
    expect(await samplesOf("t_expired")).toEqual([]);
    expect(await samplesOf("t_fresh")).toHaveLength(1);

    await keep("t_expired_again", 3, 1);
    const agent = await accountAgent(env, OTHER_ACCOUNT);
    expect(await agent.purgeExpiredSamples()).toBe(1);
    expect(await samplesOf("t_expired_again")).toEqual([]);
    expect(await samplesOf("t_fresh")).toHaveLength(1);
  });
});

describe("the REST API", () => {
  async function tokenWith(scopes: string[]) {
    const res = await api(`/api/accounts/${ACCOUNT}/tokens`, {
      method: "POST",
      token: await signIn(USERS.lead.email),
      body: JSON.stringify({ name: `samples ${scopes.join(" ")}`, scopes }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { token: string }).token;
  }

  it("lets leads and tokens with samples:read list and export, and refuses agents and tokens without the scope", async () => {
    await setSamples({ share: 100, keepDays: 30 });
    const { taskId } = await draftTicket({ body: `Card ${PRIVATE.card}, IBAN ${PRIVATE.iban}, phone ${PRIVATE.phone}, mail ${PRIVATE.email}` });
    const { taskId: rejected } = await draftTicket({ body: `Wrong address, I live at ${PRIVATE.address}` });
    await eventually(async () => (await samplesOf(taskId)).length > 0 && (await samplesOf(rejected)).length > 0, "the samples");
    const agent = await signIn(USERS.agent.email);
    for (const [task, decision] of [
      [taskId, { action: "approve" }],
      [rejected, { action: "reject", note: `Customer called from ${PRIVATE.phone}, answered by phone` }],
    ] as const) {
      const decided = await api(`/api/accounts/${ACCOUNT}/tasks/${task}/decision`, { method: "POST", token: agent, body: JSON.stringify(decision) });
      expect(decided.status, await decided.clone().text()).toBe(200);
    }

    const list = `/api/accounts/${ACCOUNT}/samples`;
    const exported = `/api/accounts/${ACCOUNT}/samples/export`;
    expect((await api(list, { token: agent })).status).toBe(403);
    expect((await api(exported, { token: agent })).status).toBe(403);
    expect((await api(`${list}/s_${"0".repeat(32)}`, { token: agent })).status).toBe(403);
    expect((await api(list, { token: await signIn(USERS.admin.email) })).status).toBe(200);
    expect((await api(list, { token: await tokenWith(["tasks:read"]) })).status).toBe(403);
    expect((await api(list, { token: await signIn(USERS.outsider.email) })).status).toBe(404);

    const lead = await signIn(USERS.lead.email);
    const page = await api(`${list}?limit=5`, { token: lead });
    expect(page.status).toBe(200);
    const body = (await page.json()) as { samples: { id: string; taskId: string }[]; nextCursor: string | null };
    const mine = body.samples.find((s) => s.taskId === taskId)!;
    expect(mine).toBeDefined();
    expect((await api(`${list}?limit=0`, { token: lead })).status).toBe(400);
    expect((await api(`${list}/${mine.id}`, { token: lead })).status).toBe(200);
    expect((await api(`${list}/s_${"0".repeat(32)}`, { token: lead })).status).toBe(404);

    const scoped = await tokenWith(["samples:read"]);
    expect((await api(list, { token: scoped })).status).toBe(200);
    const res = await api(exported, { token: scoped });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="samples-acme-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const text = await res.text();
    const lines = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual([
        "id",
        "task_id",
        "round",
        "created_at",
        "model",
        "language",
        "input",
        "output",
        "decision",
        "final_text",
        "redactions",
      ]);
    }
    // Accepted as drafted: the draft is the reference answer.
    const approvedLine = lines.find((l) => l.task_id === taskId) as { output: { draft: string }; decision: unknown; final_text: unknown; redactions: unknown };
    expect(approvedLine).toMatchObject({
      round: 1,
      model: "offline",
      language: "en",
      decision: { action: "approve", by: `user:${USERS.agent.email}`, edited: false },
    });
    expect(approvedLine.final_text).toBe(approvedLine.output.draft);
    expect(approvedLine.redactions).toMatchObject({ card: expect.any(Number), iban: expect.any(Number), phone: expect.any(Number), email: expect.any(Number) });
    // Rejected: no reference answer, the reviewer's note redacted.
    expect(lines.find((l) => l.task_id === rejected)).toMatchObject({
      decision: { action: "reject", note: "Customer called from [phone], answered by phone" },
      final_text: null,
    });
    for (const value of Object.values(PRIVATE)) expect(text).not.toContain(value);
  });
});
