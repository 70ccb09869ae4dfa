// Who may read tail latency over REST (GET /api/accounts/:account/insights/latency),
// and what a bad window answers.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, OTHER_ACCOUNT, signIn, USERS } from "../../test/fixtures";
import { toolLogInserts } from "../audit/tool-log";
import { getDb } from "../db/client";
import type { LatencyReport } from "../domain/latency";

const path = `/api/accounts/${ACCOUNT}/insights/latency`;

async function tokenWith(sessionToken: string, scopes: string[]) {
  const res = await api(`/api/accounts/${ACCOUNT}/tokens`, { method: "POST", token: sessionToken, body: JSON.stringify({ name: scopes.join(" "), scopes }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

describe("GET …/insights/latency", () => {
  it("serves leads and admins; agents get 403, strangers 404, nobody signed in 401", async () => {
    const db = getDb(env);
    const [first, ...rest] = toolLogInserts(db, [
      { accountId: ACCOUNT, taskId: "t_api", tool: "read_ticket", outcome: "ok", durationMs: 12 },
      { accountId: ACCOUNT, taskId: "t_api", tool: "draft", outcome: "ok", durationMs: 250 },
    ]);
    await db.batch([first!, ...rest]);
    const lead = await signIn(USERS.lead.email);
    const res = await api(`${path}?window=7d`, { token: lead });
    expect(res.status).toBe(200);
    const body = (await res.json()) as LatencyReport;
    expect(body).toMatchObject({ window: "7d", tools: [{ tool: "read_ticket", calls: 1, p50: 12, budgetMs: 100 }], draft: { calls: 1, budgetMs: 400 } });
    expect(body.slowest).toEqual([expect.objectContaining({ taskId: "t_api", tool: "read_ticket", durationMs: 12, outcome: "ok", error: null })]);
    // The last 24 hours when no window is given.
    expect(((await (await api(path, { token: lead })).json()) as LatencyReport).window).toBe("24h");

    expect((await api(path, { token: await signIn(USERS.admin.email) })).status).toBe(200);
    const agent = await api(path, { token: await signIn(USERS.agent.email) });
    expect(agent.status).toBe(403);
    expect((await api(path)).status).toBe(401);
    expect((await api(`/api/accounts/${OTHER_ACCOUNT}/insights/latency`, { token: lead })).status).toBe(404);
  });

  it("needs the figures:read scope on a personal token", async () => {
    const lead = await signIn(USERS.lead.email);
    const tasksOnly = await api(path, { token: await tokenWith(lead, ["tasks:read"]) });
    expect(tasksOnly.status).toBe(403);
    expect(await tasksOnly.json()).toEqual({ error: 'this token lacks the "figures:read" scope' });
    expect((await api(path, { token: await tokenWith(lead, ["figures:read"]) })).status).toBe(200);
  });

  it("refuses a window other than 24h or 7d with a 400 naming it", async () => {
    const lead = await signIn(USERS.lead.email);
    for (const query of ["window=30d", "window=", "window=24h&window=7d", "days=7"]) {
      const bad = await api(`${path}?${query}`, { token: lead });
      expect(bad.status, query).toBe(400);
      const json = (await bad.json()) as { error: string; fields: { path: string; message: string }[] };
      expect(json.error).toBe("invalid query");
      expect(json.fields.length, query).toBeGreaterThan(0);
    }
    const wrong = (await (await api(`${path}?window=30d`, { token: lead })).json()) as { fields: { path: string; message: string }[] };
    expect(wrong.fields).toEqual([{ path: "window", message: "window must be one of 24h, 7d" }]);
  });
});
