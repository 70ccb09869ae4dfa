// Drafts grounded in the team's knowledge, end to end through the webhook, the
// Workflow, the ticket's drafter and D1, with the built-in offline model: an
// answer from the account's article with its citation, the holding reply when
// no article covers the ticket, the customer's language, and auto-send never
// applying to an uncited answer.
import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { openProposal } from "../agent/proposals";
import { accountAgent } from "../agent/stubs";
import { getDb, schema } from "../db/client";
import type { Proposal } from "../domain/types";
import { taskIdFor } from "../intake/intake";
import { addArticle } from "../knowledge/store";
import { DEFAULT_POLICY } from "../policy/account-policy";

const db = getDb(env);
const ADMIN = `user:${USERS.admin.email}`;
const task = (id: string) => db.query.tasks.findFirst({ where: eq(schema.tasks.id, id) });
const outboxFor = (id: string) => db.select().from(schema.outbox).where(eq(schema.outbox.taskId, id));

const EXPORT = {
  title: "Export your contacts as a CSV file",
  body: "You can export every contact in your workspace as a CSV file.\n\n1. Open **Contacts**.\n2. Choose **Export** in the top right corner.\n3. Pick *CSV* and press **Download**.\n\nLarge exports arrive by email within a few minutes.",
  url: "https://help.acme.test/export-contacts",
  language: "en" as const,
};
const EXPORT_DE = {
  title: "Kontakte als CSV-Datei exportieren",
  body: "Sie können alle Kontakte Ihres Workspaces als CSV-Datei exportieren.\n\n1. Öffnen Sie **Kontakte**.\n2. Wählen Sie oben rechts **Exportieren**.\n3. Wählen Sie *CSV* und klicken Sie auf **Herunterladen**.",
  url: "https://help.acme.test/de/kontakte-exportieren",
  language: "de" as const,
};
const INVOICE_COPY = {
  title: "Invoice copy",
  body: "We can send you a copy of any invoice again. Open Billing → Invoices, pick last month or any earlier month, and choose Download PDF; the same page can email it to you.",
  url: "https://help.acme.test/invoice-copy",
  language: "en" as const,
};

async function intake(overrides: Record<string, unknown> = {}) {
  const t = ticket(overrides);
  const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
  const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
  expect((await postWebhook(JSON.stringify({ ticket: t }))).status).toBe(202);
  return { t, taskId, instance };
}

async function awaitingReview(taskId: string): Promise<Proposal> {
  await accountAgent(env, ACCOUNT);
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p?.status === "awaiting_review" ? p : null;
  }, `proposal ${taskId} awaiting review`);
}

async function decide(taskId: string, body: object) {
  return api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, {
    method: "POST",
    token: await signIn(USERS.agent.email),
    body: JSON.stringify(body),
  });
}

describe("drafts grounded in the team's knowledge", () => {
  it("answers from the article that covers the ticket, quotes its steps, links and cites it, and sends that", async () => {
    const article = await addArticle(env, ACCOUNT, EXPORT, ADMIN);
    await addArticle(env, ACCOUNT, EXPORT_DE, ADMIN);
    const { taskId, instance } = await intake({
      subject: "How do I export my contacts to CSV?",
      body: "Hi, we need to export all our contacts as a CSV file for a migration. Where do I find the export?",
    });
    const p = await awaitingReview(taskId);
    expect(p.toolCalls.map((c) => c.tool)).toEqual(["read_ticket", "lookup_entitlement", "summarize_context", "search_knowledge", "draft_reply", "send_reply"]);
    const search = p.toolCalls.find((c) => c.tool === "search_knowledge")!;
    expect(search.input).toEqual({ query: expect.stringContaining("How do I export my contacts to CSV?") });
    expect((search.output as { hits: { articleId: string }[] }).hits[0]!.articleId).toBe(article.id);

    expect(p.draft).toMatch(/^Hi Pat,/);
    expect(p.draft).toContain("Here is what our guide says:");
    expect(p.draft).toContain("1. Open Contacts.\n2. Choose Export in the top right corner.\n3. Pick CSV and press Download.");
    expect(p.draft).toContain(`You can read the whole article here: ${EXPORT.url}`);
    expect(p.draft).toContain("If this doesn't solve it, reply and we'll take it from there.");
    expect(p.citations).toEqual([{ articleId: article.id, title: EXPORT.title, url: EXPORT.url, snippet: expect.any(String) }]);
    expect(p.citations![0]!.snippet.length).toBeLessThanOrEqual(300);
    expect(p.confidence).toBeGreaterThan(0.5);
    // The tool log in D1 has the search too.
    const logged = await db.select().from(schema.toolInvocations).where(eq(schema.toolInvocations.taskId, taskId));
    expect(logged.map((l) => l.tool)).toContain("search_knowledge");

    expect((await decide(taskId, { action: "approve" })).status).toBe(200);
    await instance.waitForStatus("complete");
    expect((await outboxFor(taskId)).map((o) => o.body)).toEqual([p.draft]);
  });

  it("falls back to the holding reply, with no citation, when no article covers the ticket", async () => {
    const { taskId } = await intake({
      subject: "Restaurant tip",
      body: "Do you have a recommendation for a good Italian restaurant near your office in Lisbon?",
    });
    const p = await awaitingReview(taskId);
    expect(p.toolCalls.map((c) => c.tool)).toContain("search_knowledge");
    expect(p.draft).toMatch(/^Hi Pat,/);
    expect(p.draft).not.toContain("help.acme.test");
    expect(p.draft).not.toContain("Here is what our guide says");
    expect(p.draft).toContain("8 hours");
    expect(p.citations).toEqual([]);
  });

  it("answers a German ticket from the German article, in German, citing it", async () => {
    const { taskId } = await intake({
      subject: "Kontakte als CSV exportieren",
      body: "Guten Tag, wie kann ich alle unsere Kontakte als CSV-Datei exportieren? Ich finde die Funktion leider nicht.",
    });
    const p = await awaitingReview(taskId);
    expect(p.triage?.language).toBe("de");
    expect(p.citations?.map((c) => c.url)).toEqual([EXPORT_DE.url]);
    expect(p.draft).toMatch(/^Hallo Pat,/);
    expect(p.draft).toContain("Das steht dazu in unserer Anleitung:");
    expect(p.draft).toContain("1. Öffnen Sie Kontakte.");
    expect(p.draft).toContain(`Den vollständigen Artikel finden Sie hier: ${EXPORT_DE.url}`);
    expect(p.draft).toContain("Falls das Ihr Problem nicht löst");
    expect(p.draft).not.toContain("Here is what our guide says");
  });
});

// Last in this file: it adds the invoice article, which later tickets about invoices would find.
describe("auto-send and citations", () => {
  const setPolicy = async (policy: typeof DEFAULT_POLICY) =>
    api(`/api/accounts/${ACCOUNT}/operations`, { method: "PATCH", token: await signIn(USERS.admin.email), body: JSON.stringify({ policy }) });

  it("never sends an uncited answer by itself, even with auto-send on and high confidence; a cited one it does, and a hard stop still goes to a person", async () => {
    expect((await setPolicy({ ...DEFAULT_POLICY, autoSend: { enabled: true, minConfidence: 0.6 } })).status).toBe(200);
    try {
      const invoice = { subject: "Invoice copy", body: "Could you send me last month's invoice again?" };
      // No article about invoices yet: a holding reply, confident enough for the policy, but uncited.
      const uncited = await intake(invoice);
      const waiting = await awaitingReview(uncited.taskId);
      expect(waiting.citations).toEqual([]);
      expect(waiting.confidence).toBeGreaterThanOrEqual(0.6);
      expect(await task(uncited.taskId)).toMatchObject({ status: "awaiting_review", automatic: false });
      expect(await outboxFor(uncited.taskId)).toHaveLength(0);

      const article = await addArticle(env, ACCOUNT, INVOICE_COPY, ADMIN);
      const cited = await intake(invoice);
      await cited.instance.waitForStatus("complete");
      expect(await task(cited.taskId)).toMatchObject({ status: "sent", automatic: true, outcome: "sent_automatic" });
      const [sent] = await outboxFor(cited.taskId);
      expect(sent!.body).toContain(INVOICE_COPY.url);
      const autoApproved = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.taskId, cited.taskId));
      expect(autoApproved.map((a) => a.action)).toContain("decision.auto_approve");
      const logged = await db.select().from(schema.toolInvocations).where(eq(schema.toolInvocations.taskId, cited.taskId));
      expect(logged.find((l) => l.tool === "draft_reply")!.output).toMatchObject({ citations: [{ articleId: article.id }] });

      // Cited, but a hard stop: a person answers.
      const angry = await intake({ subject: "Invoice copy", body: "Send me last month's invoice again, or my lawyer will take you to court." });
      const stopped = await awaitingReview(angry.taskId);
      expect(stopped.citations?.map((c) => c.articleId)).toEqual([article.id]);
      expect(stopped.risk.map((r) => r.kind)).toContain("legal_threat");
      expect(await outboxFor(angry.taskId)).toHaveLength(0);
    } finally {
      expect((await setPolicy(DEFAULT_POLICY)).status).toBe(200);
    }
  });
});
