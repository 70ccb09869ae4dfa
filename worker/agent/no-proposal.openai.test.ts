// When a hosted model ends its turn without proposing a reply (the local
// OpenAI fake answering with text only: test/fake-openai.ts), the task awaits
// a person, who writes the reply from the suggested one (the best article's
// answer, or the holding reply) and sends it through the decision gate as an
// edit; or rejects it. Nothing can approve or send back a proposal that does not exist.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import type { Proposal } from "../domain/types";
import { taskIdFor } from "../intake/intake";
import { addArticle } from "../knowledge/store";
import { openProposal } from "./proposals";
import { accountAgent } from "./stubs";

/** What makes test/fake-openai.ts answer with text only (after reading and searching). */
const TEXT_ONLY = "[fake-openai: text only]";

const db = getDb(env);
const task = (id: string) => db.query.tasks.findFirst({ where: eq(schema.tasks.id, id) });
const outboxFor = (id: string) => db.select().from(schema.outbox).where(eq(schema.outbox.taskId, id));

interface RecordedRequest {
  body: { messages: { role: string; content: unknown }[]; tools?: { function: { name: string } }[] };
}

async function intake(overrides: Record<string, unknown>) {
  const t = ticket(overrides);
  const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  expect((await postWebhook(JSON.stringify({ ticket: t }))).status).toBe(202);
  return { t, taskId, instance };
}

async function needsPerson(taskId: string): Promise<Proposal> {
  await accountAgent(env, ACCOUNT);
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p?.status === "awaiting_review" && p.suggestedReply ? p : null;
  }, `task ${taskId} waiting for a person to write the reply`);
}

async function decide(taskId: string, body: object) {
  return api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, { method: "POST", token: await signIn(USERS.agent.email), body: JSON.stringify(body) });
}

describe("a hosted model that proposes nothing", () => {
  it("leaves the reply to a person, prefilled with the cited article's answer, and sends theirs through the gate as an edit", async () => {
    const article = await addArticle(
      env,
      ACCOUNT,
      {
        title: "Export your contacts as a CSV file",
        body: "You can export every contact in your workspace as a CSV file.\n\n1. Open **Contacts**.\n2. Choose **Export** in the top right corner.\n3. Pick *CSV* and press **Download**.",
        url: "https://help.acme.test/export-contacts",
        language: "en",
      },
      `user:${USERS.admin.email}`,
    );
    const { t, taskId, instance } = await intake({
      subject: "How do I export my contacts to CSV?",
      body: `Hi, we need to export all our contacts as a CSV file. Where do I find the export? ${TEXT_ONLY}`,
    });
    const p = await needsPerson(taskId);
    // The model read, searched, and stopped: no draft, nothing awaiting approval.
    expect(p.toolCalls.map((c) => c.tool)).toEqual(["read_ticket", "lookup_entitlement", "summarize_context", "search_knowledge"]);
    expect(p.draft).toBeNull();
    expect(p.plan).toContain("The model stopped without proposing a reply; it needs a person.");
    expect(p.suggestedReply!.body).toMatch(/^Hi Pat,/);
    expect(p.suggestedReply!.body).toContain("1. Open Contacts.\n2. Choose Export in the top right corner.");
    expect(p.suggestedReply!.body).toContain("You can read the whole article here: https://help.acme.test/export-contacts");
    expect(p.suggestedReply!.citations.map((c) => c.articleId)).toEqual([article.id]);
    // The queue lists it as awaiting a person, marked as having no proposal.
    const row = await (await accountAgent(env, ACCOUNT)).proposalSummary(taskId);
    expect(row).toMatchObject({ status: "awaiting_review", noProposal: true });
    await eventually(async () => (await task(taskId))?.status === "awaiting_review", "task awaiting review in D1");

    // The hosted model was offered search_knowledge and told to answer only from the sources.
    const requests = (await (await fetch(`${env.OPENAI_BASE_URL}/_requests`)).json()) as RecordedRequest[];
    const mine = requests.filter((r) => JSON.stringify(r.body.messages).includes(t.id));
    expect(mine[0]!.body.tools!.map((x) => x.function.name)).toContain("search_knowledge");
    const system = String(mine[0]!.body.messages.find((m) => m.role === "system")?.content);
    expect(system).toContain("answer only from those sources");
    expect(system).toContain("When the sources do not cover the question");

    // Nothing to approve or send back.
    for (const decision of [{ action: "approve" }, { action: "revise", note: "try again" }]) {
      const refused = await decide(taskId, decision);
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ error: expect.stringContaining("no proposed reply") });
    }

    const reply = `${p.suggestedReply!.body.replace("Hi Pat,", "Hi Pat,\n\nSorry for the wait.")}`;
    const res = await decide(taskId, { action: "edit", body: reply });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ taskId, action: "edit", status: "sending" });
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "sent" });
    expect((await outboxFor(taskId)).map((o) => o.body)).toEqual([reply]);
    expect(await task(taskId)).toMatchObject({ status: "sent", outcome: "sent_edited", lastDecision: "edit", corrected: true, automatic: false });
    const audit = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.taskId, taskId));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["decision.edit", "reply.sent"]));
    expect(audit.find((a) => a.action === "reply.sent")!.after).toMatchObject({ edited: true, approvedBy: `user:${USERS.agent.email}` });
    expect(await openProposal(env, ACCOUNT, taskId)).toBeNull();
  });

  it("prefills the holding reply, citing nothing, when no article covers the ticket; a rejection sends nothing", async () => {
    const { taskId, instance } = await intake({ subject: "Restaurant tip", body: `Any good Italian restaurant near your office in Lisbon? ${TEXT_ONLY}` });
    const p = await needsPerson(taskId);
    expect(p.suggestedReply!.citations).toEqual([]);
    expect(p.suggestedReply!.body).toMatch(/^Hi Pat,/);
    expect(p.suggestedReply!.body).not.toContain("help.acme.test");
    expect((await decide(taskId, { action: "reject", note: "not for us" })).status).toBe(200);
    await instance.waitForStatus("complete");
    expect(await instance.getOutput()).toMatchObject({ outcome: "rejected" });
    expect(await outboxFor(taskId)).toHaveLength(0);
  });
});
