// Who may do what through the REST API and the agent's WebSocket.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, OTHER_ACCOUNT, PASSWORD, signIn, USERS } from "../../test/fixtures";

describe("sign-in", () => {
  it("issues an HttpOnly session cookie and a bearer token for the right password", async () => {
    const res = await api("/api/session", { method: "POST", body: JSON.stringify({ email: USERS.agent.email, password: PASSWORD }) });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^st_session=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
    const me = await api("/api/me", { token: ((await res.json()) as { token: string }).token });
    expect(await me.json()).toMatchObject({ email: USERS.agent.email, memberships: [{ accountId: ACCOUNT, role: "agent" }] });
  });

  it("refuses a wrong password and unknown users with the same 401", async () => {
    for (const body of [
      { email: USERS.agent.email, password: "nope" },
      { email: "ghost@acme.test", password: PASSWORD },
    ]) {
      const res = await api("/api/session", { method: "POST", body: JSON.stringify(body) });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "wrong email or password" });
    }
  });

  it("signs out: the token stops working", async () => {
    const token = await signIn(USERS.agent.email);
    expect((await api("/api/session", { method: "DELETE", token })).status).toBe(204);
    expect((await api("/api/me", { token })).status).toBe(401);
  });

  it("refuses forged tokens", async () => {
    expect((await api("/api/me", { token: "f".repeat(64) })).status).toBe(401);
    expect((await api("/api/me", { headers: { cookie: "st_session=abc" } })).status).toBe(401);
  });
});

describe("tasks and decisions API", () => {
  it("requires a session", async () => {
    const res = await api(`/api/accounts/${ACCOUNT}/tasks/t_x/decision`, { method: "POST", body: JSON.stringify({ action: "approve" }) });
    expect(res.status).toBe(401);
  });

  it("refuses another account's tasks and gives away nothing about them", async () => {
    const token = await signIn(USERS.outsider.email);
    for (const path of [`/api/accounts/${ACCOUNT}/tasks`, `/api/accounts/${ACCOUNT}/proposals`, `/api/accounts/${ACCOUNT}/figures`]) {
      const res = await api(path, { token });
      expect(res.status).toBe(404);
      expect(JSON.stringify(await res.json())).not.toContain('tasks":[');
    }
    const decision = await api(`/api/accounts/${ACCOUNT}/tasks/t_x/decision`, { method: "POST", token, body: JSON.stringify({ action: "approve" }) });
    expect(decision.status).toBe(404);
    // Their own account works.
    expect((await api(`/api/accounts/${OTHER_ACCOUNT}/tasks`, { token })).status).toBe(200);
  });

  it("keeps the figures for leads and admins", async () => {
    expect((await api(`/api/accounts/${ACCOUNT}/figures`, { token: await signIn(USERS.agent.email) })).status).toBe(403);
    const lead = await api(`/api/accounts/${ACCOUNT}/figures?days=3`, { token: await signIn(USERS.lead.email) });
    expect(lead.status).toBe(200);
    expect(((await lead.json()) as { figures: unknown[] }).figures).toHaveLength(3);
  });

  it("validates decisions and names the failing fields", async () => {
    const token = await signIn(USERS.agent.email);
    const path = `/api/accounts/${ACCOUNT}/tasks/t_x/decision`;
    const cases: [unknown, string][] = [
      [{ action: "send-now" }, "action"],
      [{ action: "edit" }, "body"],
      [{ action: "revise" }, "note"],
      [{ action: "approve", body: "sneaky replacement" }, "body"],
    ];
    for (const [body, field] of cases) {
      const res = await api(path, { method: "POST", token, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      const json = (await res.json()) as { fields: { path: string }[] };
      expect(json.fields.map((f) => f.path)).toContain(field);
    }
    expect((await api(path, { method: "POST", token, body: "{" })).status).toBe(400);
    expect((await api(path, { method: "POST", token, body: "x", headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await api(path, { method: "POST", token, body: JSON.stringify({ action: "approve", note: "x".repeat(70_000) }) })).status).toBe(413);
    expect((await api(path, { method: "POST", token, body: JSON.stringify({ action: "approve" }) })).status).toBe(404);
  });

  it("refuses a cookie-authenticated change from a foreign origin (CSRF)", async () => {
    const token = await signIn(USERS.agent.email);
    const res = await api(`/api/accounts/${ACCOUNT}/tasks/t_x/decision`, {
      method: "POST",
      headers: { cookie: `st_session=${token}`, origin: "https://evil.example" },
      body: JSON.stringify({ action: "approve" }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "cross-origin request refused (origin https://evil.example)" });
  });
});

describe("the account agent's WebSocket", () => {
  const connect = (account: string, headers: Record<string, string> = {}) =>
    exports.default.fetch(`https://triage.test/agents/account-agent/${account}`, {
      headers: { upgrade: "websocket", origin: "https://triage.test", ...headers },
    });

  it("is refused without a session", async () => {
    expect((await connect(ACCOUNT)).status).toBe(401);
  });

  it("is refused for a member of another account, even with a forged identity header", async () => {
    const token = await signIn(USERS.outsider.email);
    const res = await connect(ACCOUNT, {
      cookie: `st_session=${token}`,
      "x-support-triage-identity": JSON.stringify({ email: USERS.admin.email, role: "admin" }),
    });
    expect(res.status).toBe(403);
  });

  it("is accepted for a member and sends the synced state and the queue's version; clients cannot write it", async () => {
    const token = await signIn(USERS.agent.email);
    const res = await connect(ACCOUNT, { cookie: `st_session=${token}` });
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    const messages: { type: string; state?: unknown; error?: string; version?: number; counts?: unknown }[] = [];
    ws.accept();
    ws.addEventListener("message", (e) => messages.push(JSON.parse(e.data as string)));
    const deadline = Date.now() + 5000;
    while (!messages.some((m) => m.type === "cf_agent_state") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(messages.find((m) => m.type === "cf_agent_state")!.state).toEqual({});
    while (!messages.some((m) => m.type === "queue.hello") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(messages.find((m) => m.type === "queue.hello")).toMatchObject({ version: expect.any(Number), counts: { open: expect.any(Number) } });

    ws.send(JSON.stringify({ type: "cf_agent_state", state: { proposals: [{ taskId: "forged" }] } }));
    while (!messages.some((m) => m.type === "cf_agent_state_error") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(messages.some((m) => m.type === "cf_agent_state_error")).toBe(true);
    ws.close();
  });
});
