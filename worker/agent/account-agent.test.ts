// The account agent's own guarantees: one decision wins, idempotency keys are
// written before external calls, and its memory stays bounded.
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getAgentByName } from "agents";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { taskIdFor } from "../intake/intake";
import { IdempotencyKeys } from "./drafting/idempotency";
import { openProposal } from "./proposals";
import { sqlOf } from "./sql";
import { ActionLog } from "./stores/action-log";
import { accountAgent } from "./stubs";

describe("AccountAgent", () => {
  it("lets exactly one of two simultaneous approvals through", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    await postWebhook(JSON.stringify({ ticket: t }));
    await eventually(async () => (await openProposal(env, ACCOUNT, taskId))?.status === "awaiting_review", "proposal");

    const [agentToken, leadToken] = await Promise.all([signIn(USERS.agent.email), signIn(USERS.lead.email)]);
    const decide = (token: string) =>
      api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, { method: "POST", token, body: JSON.stringify({ action: "approve" }) });
    const statuses = (await Promise.all([decide(agentToken), decide(leadToken)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    await instance.waitForStatus("complete");
    expect(await getDb(env).select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(1);
  });

  it("records the idempotency key before the external call and never repeats a completed call", async () => {
    // A ticket's external calls are keyed in its drafter's SQLite.
    await runInDurableObject(env.TicketDrafter.getByName("t_idempotency"), async (_instance, state) => {
      const keys = new IdempotencyKeys(sqlOf(state.storage));
      const sql = sqlOf(state.storage);
      let calls = 0;
      const failing = keys.once("t_demo:file_handoff:billing", "file_handoff", async () => {
        calls++;
        // The key is already there while the call is in flight.
        expect(sql`select status from idempotency_keys where key = ${"t_demo:file_handoff:billing"}`[0]).toEqual({ status: "started" });
        throw new Error("help desk timed out");
      });
      await expect(failing).rejects.toThrow("help desk timed out");
      const first = await keys.once("t_demo:file_handoff:billing", "file_handoff", async () => {
        calls++;
        return { handoff_id: "h1" };
      });
      const second = await keys.once("t_demo:file_handoff:billing", "file_handoff", async () => {
        calls++;
        return { handoff_id: "h2" };
      });
      expect(first).toEqual({ handoff_id: "h1" });
      expect(second).toEqual({ handoff_id: "h1" });
      expect(calls).toBe(2);
    });
  });

  it("keeps only its last 50 actions", async () => {
    const stub = await accountAgent(env, ACCOUNT);
    for (let i = 0; i < 3; i++) {
      const t = ticket();
      await postWebhook(JSON.stringify({ ticket: t }));
      const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
      await eventually(async () => (await openProposal(env, ACCOUNT, taskId))?.status === "awaiting_review", "proposal");
    }
    expect((await stub.recentActions())[0]!.action).toBe("approval.requested");
    await runInDurableObject(await getAgentByName(env.AccountAgent, ACCOUNT), async (_agent, state) => {
      const log = new ActionLog(sqlOf(state.storage));
      for (let i = 0; i < 70; i++) log.record(null, `test.action.${i}`, { i });
      const [{ n }] = sqlOf(state.storage)<{ n: number }>`select count(*) as n from agent_actions`;
      expect(n).toBe(50);
    });
    const actions = await stub.recentActions();
    expect(actions.length).toBe(50);
    expect(actions[0]!.action).toBe("test.action.69");
    expect(actions.at(-1)!.action).toBe("test.action.20");
  });
});
