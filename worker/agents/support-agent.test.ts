// The account agent's own guarantees: one decision wins, idempotency keys are
// written before external calls, and its memory stays bounded.
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { getAgentByName } from "agents";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, eventually, postWebhook, signIn, ticket, USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { taskIdFor } from "../webhooks/intake";
import { accountAgent } from "./account-agent";
import type { SupportAgent } from "./support-agent";

type AgentInternals = {
  once<T>(key: string, taskId: string, tool: string, call: () => Promise<T>): Promise<T>;
  sql: SupportAgent["sql"];
};

describe("SupportAgent", () => {
  it("lets exactly one of two simultaneous approvals through", async () => {
    const t = ticket();
    const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
    const instance = await introspectWorkflowInstance(env.TRIAGE_WORKFLOW, taskId);
    await postWebhook(JSON.stringify({ ticket: t }));
    const agent = await accountAgent(env, ACCOUNT);
    await eventually(async () => (await agent.getProposal(taskId))?.status === "awaiting_review", "proposal");

    const [agentToken, leadToken] = await Promise.all([signIn(USERS.agent.email), signIn(USERS.lead.email)]);
    const decide = (token: string) =>
      api(`/api/accounts/${ACCOUNT}/tasks/${taskId}/decision`, { method: "POST", token, body: JSON.stringify({ action: "approve" }) });
    const statuses = (await Promise.all([decide(agentToken), decide(leadToken)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    await instance.waitForStatus("complete");
    expect(await getDb(env).select().from(schema.outbox).where(eq(schema.outbox.taskId, taskId))).toHaveLength(1);
  });

  it("records the idempotency key before the external call and never repeats a completed call", async () => {
    const stub = await getAgentByName(env.SupportAgent, ACCOUNT);
    await runInDurableObject(stub, async (instance) => {
      const agent = instance as unknown as AgentInternals;
      let calls = 0;
      const failing = agent.once("t_demo:file_handoff:billing", "t_demo", "file_handoff", async () => {
        calls++;
        // The key is already there while the call is in flight.
        expect(agent.sql`select status from idempotency_keys where key = ${"t_demo:file_handoff:billing"}`[0]).toEqual({ status: "started" });
        throw new Error("help desk timed out");
      });
      await expect(failing).rejects.toThrow("help desk timed out");
      const first = await agent.once("t_demo:file_handoff:billing", "t_demo", "file_handoff", async () => {
        calls++;
        return { handoff_id: "h1" };
      });
      const second = await agent.once("t_demo:file_handoff:billing", "t_demo", "file_handoff", async () => {
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
    for (let i = 0; i < 8; i++) {
      const t = ticket();
      await postWebhook(JSON.stringify({ ticket: t }));
      const taskId = await taskIdFor(ACCOUNT, "generic", t.id);
      await eventually(async () => (await stub.getProposal(taskId))?.status === "awaiting_review", "proposal");
    }
    const actions = await stub.recentActions();
    expect(actions.length).toBe(50);
    expect(actions[0]!.action).toBe("approval.requested");
  });
});
