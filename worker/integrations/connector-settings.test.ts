// Connector settings: secrets sealed at rest, never shown, rotation with a
// grace period, every change audited, admins only.
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, api, postWebhook, SECRET, signIn, ticket, USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { listConnectors, outboundSettings, rotateSigningSecret, setEnabled, setOutbound, verifyingSecrets } from "./connector-settings";

const db = getDb(env);
const NEW_SECRET = "whsec_bmV3LXNlY3JldC1mb3ItYWNtZS0xMjM0NTY3OA==";

describe("connector settings", () => {
  it("seals signing secrets at rest and shows only fingerprints", async () => {
    const row = await db.query.connectors.findFirst({
      where: and(eq(schema.connectors.accountId, ACCOUNT), eq(schema.connectors.source, "generic")),
    });
    expect(row!.signingSecret).toMatch(/^v1\./);
    expect(row!.signingSecret).not.toContain(SECRET.slice(6));
    const views = await listConnectors(env, ACCOUNT);
    expect(JSON.stringify(views)).not.toContain(SECRET);
    expect(views.find((v) => v.source === "generic")).toMatchObject({ enabled: true, signingSecret: { fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) } });
    expect(views.map((v) => v.source)).toHaveLength(8);
  });

  it("keeps the old secret verifying during the grace period, and not after", async () => {
    const acct = "acme";
    await rotateSigningSecret(env, acct, "generic", NEW_SECRET, 24, "user:admin@acme.test");
    expect(await verifyingSecrets(env, acct, "generic")).toEqual([NEW_SECRET, SECRET]);
    // Both secrets are accepted by the endpoint during the grace period.
    expect((await postWebhook(JSON.stringify({ ticket: ticket() }), { secret: SECRET })).status).toBe(202);
    expect((await postWebhook(JSON.stringify({ ticket: ticket() }), { secret: NEW_SECRET })).status).toBe(202);
    // After the grace period only the new one.
    const later = new Date(Date.now() + 25 * 3_600_000);
    expect(await verifyingSecrets(env, acct, "generic", later)).toEqual([NEW_SECRET]);
    // Rotating with no grace revokes the old secret at once.
    await rotateSigningSecret(env, acct, "generic", SECRET, 0, "user:admin@acme.test");
    expect(await verifyingSecrets(env, acct, "generic")).toEqual([SECRET]);
    expect((await postWebhook(JSON.stringify({ ticket: ticket() }), { secret: NEW_SECRET })).status).toBe(401);
  });

  it("answers 404 for a source that is switched off, and audits every change", async () => {
    await setEnabled(env, ACCOUNT, "generic", false, "user:admin@acme.test");
    const res = await postWebhook(JSON.stringify({ ticket: ticket() }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'source "generic" is not configured for account "acme"' });
    await setEnabled(env, ACCOUNT, "generic", true, "user:admin@acme.test");
    expect((await postWebhook(JSON.stringify({ ticket: ticket() }))).status).toBe(202);

    const actions = (await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.accountId, ACCOUNT)))
      .filter((a) => a.action.startsWith("connector."))
      .map((a) => [a.action, a.actor]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ["connector.secret_rotated", "user:admin@acme.test"],
        ["connector.disabled", "user:admin@acme.test"],
        ["connector.enabled", "user:admin@acme.test"],
      ]),
    );
    // No audit entry carries a secret.
    const all = JSON.stringify(await db.select().from(schema.auditEvents));
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(NEW_SECRET);
  });

  it("refuses to switch on a source without a secret", async () => {
    await expect(setEnabled(env, ACCOUNT, "zammad", true, "user:admin@acme.test")).rejects.toThrow("set a signing secret for zammad");
  });

  it("seals outbound credentials, merges updates and never returns them", async () => {
    const fields = [
      { key: "email", label: "Email", secret: false },
      { key: "api_token", label: "API token", secret: true },
    ];
    await rotateSigningSecret(env, ACCOUNT, "zendesk", "zendesk-signing-secret", 0, "test");
    await setEnabled(env, ACCOUNT, "zendesk", true, "test");
    await setOutbound(
      env,
      ACCOUNT,
      "zendesk",
      { apiBaseUrl: "https://acme.zendesk.com/", credentials: { email: "bot@acme.test", api_token: "tok-123-secret" } },
      fields,
      "test",
    );
    await setOutbound(
      env,
      ACCOUNT,
      "zendesk",
      { apiBaseUrl: "https://acme.zendesk.com", credentials: { email: "ops@acme.test", api_token: "" } },
      fields,
      "test",
    );
    expect(await outboundSettings(env, ACCOUNT, "zendesk")).toEqual({
      baseUrl: "https://acme.zendesk.com",
      credentials: { email: "ops@acme.test", api_token: "tok-123-secret" },
      // Triage write-back is off until an admin switches it on.
      writeBack: { enabled: false, fields: [] },
    });
    const view = (await listConnectors(env, ACCOUNT)).find((v) => v.source === "zendesk")!;
    expect(view.credentialsSet.sort()).toEqual(["api_token", "email"]);
    expect(JSON.stringify(view)).not.toContain("tok-123-secret");
    await expect(setOutbound(env, ACCOUNT, "zendesk", { apiBaseUrl: "http://acme.zendesk.com", credentials: {} }, fields, "test")).rejects.toThrow("https");
  });
});

describe("connectors API", () => {
  it("is for admins only, and never answers with a secret", async () => {
    expect((await api(`/api/accounts/${ACCOUNT}/connectors`, { token: await signIn(USERS.agent.email) })).status).toBe(403);
    expect((await api(`/api/accounts/${ACCOUNT}/connectors`, { token: await signIn(USERS.lead.email) })).status).toBe(403);
    expect((await api(`/api/accounts/${ACCOUNT}/connectors`, { token: await signIn(USERS.outsider.email) })).status).toBe(404);
    const admin = await signIn(USERS.admin.email);
    const list = await api(`/api/accounts/${ACCOUNT}/connectors`, { token: admin });
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text).connectors).toHaveLength(8);

    const rotated = await api(`/api/accounts/${ACCOUNT}/connectors/chatwoot/secret`, {
      method: "POST",
      token: admin,
      body: JSON.stringify({ secret: "chatwoot-secret-value", graceHours: 0 }),
    });
    expect(rotated.status).toBe(200);
    const body = await rotated.text();
    expect(body).not.toContain("chatwoot-secret-value");
    expect(JSON.parse(body)).toMatchObject({ fingerprint: expect.any(String), previousValidUntil: null });

    const bad = await api(`/api/accounts/${ACCOUNT}/connectors/chatwoot/secret`, { method: "POST", token: admin, body: JSON.stringify({ graceHours: 2 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: { path: string }[] }).fields[0]!.path).toBe("secret");
    expect(
      (await api(`/api/accounts/${ACCOUNT}/connectors/nosuch/enabled`, { method: "POST", token: admin, body: JSON.stringify({ enabled: true }) })).status,
    ).toBe(404);
  });
});

describe("delivery log", () => {
  it("records accepted, duplicate and rejected deliveries with the reason, but no payload", async () => {
    const payload = JSON.stringify({ ticket: ticket({ body: "delivery-log-marker body" }) });
    await postWebhook(payload);
    await postWebhook(payload);
    await postWebhook(payload, { secret: "whsec_d3JvbmctZm9yLWRlbGl2ZXJ5LWxvZw==" });
    const rows = await db
      .select()
      .from(schema.webhookDeliveries)
      .where(and(eq(schema.webhookDeliveries.accountId, ACCOUNT), eq(schema.webhookDeliveries.source, "generic")));
    const last3 = rows.slice(-3).map((r) => [r.outcome, r.status, r.reason]);
    expect(last3).toEqual([
      ["accepted", 202, null],
      ["duplicate", 200, "same ticket"],
      ["rejected", 401, "signature check failed: bad signature"],
    ]);
    expect(JSON.stringify(rows)).not.toContain("delivery-log-marker");
  });
});
