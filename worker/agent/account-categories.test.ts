// An account's own categories and handoff queues, end to end through the real
// Worker, Workflow, Durable Objects and D1: an admin adds a category with
// example phrases, webhook tickets like them are categorised as it and handed
// off to its queue, a German ticket goes to the German queue, and the review
// queue filters by the account category.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { taskIdFor } from "../intake/intake";
import { DEFAULT_POLICY } from "../policy/account-policy";
import { openProposal } from "./proposals";
import { accountAgent } from "./stubs";

const CSV_IMPORT = {
  id: "csv-import",
  name: "CSV import",
  description: "Importing contacts or customer data from CSV or Excel files fails or needs help.",
  examples: [
    "The CSV import stops after a few hundred rows",
    "Importing our contacts from an Excel file gives an error",
    "Der CSV-Import bricht nach ein paar hundert Zeilen ab",
    "Wie importiere ich Kundendaten aus einer CSV-Datei?",
  ],
  handoffQueue: "data-onboarding",
};

async function proposalOf(t: ReturnType<typeof ticket>) {
  const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
  expect((await postWebhook(JSON.stringify({ ticket: t }))).status).toBe(202);
  await accountAgent(env, ACCOUNT);
  return eventually(async () => {
    const p = await openProposal(env, ACCOUNT, taskId);
    return p?.status === "awaiting_review" ? p : null;
  }, `proposal ${taskId}`);
}

afterAll(async () => {
  await getDb(env).delete(schema.accountSettings);
});

describe("account categories and handoff queues", () => {
  it("categorise tickets like the examples, hand them to the category's or the language's queue, and filter the queue", async () => {
    const admin = await signIn(USERS.admin.email);
    const saved = await api(`/api/accounts/${ACCOUNT}/operations`, {
      method: "PATCH",
      token: admin,
      body: JSON.stringify({ policy: { ...DEFAULT_POLICY, categories: [CSV_IMPORT], languageQueues: { de: "dach-team" } } }),
    });
    expect(saved.status).toBe(200);

    // Like the examples, in English: the account category, and its queue.
    const csv = await proposalOf(ticket({ subject: "Import problem", body: "When we import our contacts from a CSV file, the import stops halfway." }));
    expect(csv.category).toBe("csv-import");
    expect(csv.triage).toMatchObject({ categoryName: "CSV import", handoffQueue: "data-onboarding", handoffReason: "account-category" });
    expect(csv.handoff).toMatchObject({ queue: "data-onboarding" });

    // German, about something else: a built-in category, and the German queue.
    const german = await proposalOf(
      ticket({
        subject: "Doppelte Abbuchung",
        body: "Guten Tag, diesen Monat wurde meine Karte zweimal für den Pro-Tarif belastet. Können Sie das bitte prüfen?",
      }),
    );
    expect(german.category).toBe("billing");
    expect(german.triage).toMatchObject({ language: "de", categoryName: null, handoffQueue: "dach-team", handoffReason: "language" });
    expect(german.handoff).toMatchObject({ queue: "dach-team" });

    // German and like the examples: the category's own queue comes before the language's.
    const germanCsv = await proposalOf(
      ticket({ subject: "Import funktioniert nicht", body: "Hallo, unser CSV-Import der Kontaktliste bricht immer nach der Hälfte ab. Was können wir tun?" }),
    );
    expect(germanCsv.category).toBe("csv-import");
    expect(germanCsv.handoff).toMatchObject({ queue: "data-onboarding" });

    const handoffs = await getDb(env).select().from(schema.handoffs).where(eq(schema.handoffs.taskId, csv.taskId));
    expect(handoffs.map((h) => h.queue)).toEqual(["data-onboarding"]);

    // The review queue filters by the account category like by a built-in one.
    const agent = await signIn(USERS.agent.email);
    const res = await api(`/api/accounts/${ACCOUNT}/proposals?category=csv-import`, { token: agent });
    expect(res.status).toBe(200);
    const { proposals } = (await res.json()) as { proposals: { taskId: string; category: string }[] };
    expect(proposals.map((p) => p.taskId).sort()).toEqual([csv.taskId, germanCsv.taskId].sort());
    const billing = (await (await api(`/api/accounts/${ACCOUNT}/proposals?category=billing`, { token: agent })).json()) as { proposals: { taskId: string }[] };
    expect(billing.proposals.map((p) => p.taskId)).toContain(german.taskId);
  });
});
