import { env, exports } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ACCOUNT, OTHER_SECRET, postWebhook, SECRET, ticket } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { sign } from "../integrations/generic/standard-webhooks";

const db = getDb(env);
const stored = async () => (await db.select({ n: count() }).from(schema.tickets))[0]!.n;

describe("POST /webhooks/:account/generic", () => {
  it("answers 202 with a task id for a new ticket and stores it once", async () => {
    const t = ticket();
    const res = await postWebhook(JSON.stringify({ ticket: t }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { taskId: string; duplicate: boolean };
    expect(body.taskId).toMatch(/^t_[0-9a-f]{32}$/);
    expect(body.duplicate).toBe(false);
    const row = await db.query.tickets.findFirst({ where: eq(schema.tickets.id, body.taskId) });
    expect(row).toMatchObject({ externalId: t.id, subject: t.subject, requesterEmail: "pat@customer.test" });
    const audit = await db.query.auditEvents.findFirst({ where: eq(schema.auditEvents.taskId, body.taskId) });
    expect(audit).toMatchObject({ action: "ticket.received", actor: "webhook:generic" });
  });

  it("answers 200 duplicate with the same task id for a repeated delivery, with no second triage", async () => {
    const payload = JSON.stringify({ ticket: ticket() });
    const first = (await (await postWebhook(payload)).json()) as { taskId: string };
    const before = await stored();
    // A retry from the help desk: new delivery id and timestamp, same ticket.
    const res = await postWebhook(payload);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ taskId: first.taskId, duplicate: true });
    expect(await stored()).toBe(before);
    const tasks = await db.select().from(schema.tasks).where(eq(schema.tasks.id, first.taskId));
    expect(tasks).toHaveLength(1);
  });

  it("answers 400 naming the failing fields for an invalid schema", async () => {
    const before = await stored();
    const res = await postWebhook(JSON.stringify({ ticket: { id: "x", subject: "", requester: { email: "not-an-email" } } }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: { path: string }[] };
    expect(body.error).toBe("invalid ticket");
    expect(body.fields.map((f) => f.path)).toEqual(
      expect.arrayContaining(["ticket.subject", "ticket.body", "ticket.requester.email", "ticket.requester.name"]),
    );
    expect(await stored()).toBe(before);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await postWebhook("{ticket: nope");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid JSON" });
  });

  it("answers 401 for a missing, wrong or stale signature, storing nothing", async () => {
    const before = await stored();
    const payload = JSON.stringify({ ticket: ticket() });
    const missing = await exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/generic`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: payload,
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: "signature check failed: missing signature" });

    const wrong = await postWebhook(payload, { secret: OTHER_SECRET });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "signature check failed: bad signature" });

    const stale = await postWebhook(payload, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error: "signature check failed: stale timestamp" });

    const future = await postWebhook(payload, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(future.status).toBe(401);
    expect(await stored()).toBe(before);
  });

  it("answers 401 when the body was changed after signing", async () => {
    const payload = JSON.stringify({ ticket: ticket() });
    const id = "msg_tamper";
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/generic`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": await sign(SECRET, id, ts, payload) },
      body: payload.replace("charged twice", "charged thrice"),
    });
    expect(res.status).toBe(401);
  });

  it("answers 404 for an unknown account and for a source that is not configured", async () => {
    const payload = JSON.stringify({ ticket: ticket() });
    const res = await postWebhook(payload, { account: "nobody" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'unknown account "nobody"' });
    const src = await exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/zendesk`, { method: "POST", body: payload });
    expect(src.status).toBe(404);
  });

  it("answers 413 over 256 KiB, even without a Content-Length", async () => {
    const before = await stored();
    const big = JSON.stringify({ ticket: ticket({ body: "x".repeat(257 * 1024) }) });
    const res = await postWebhook(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "payload too large: the limit is 256 KiB" });

    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/generic`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
    });
    expect(chunked.status).toBe(413);
    expect(await stored()).toBe(before);
  });

  it("answers 415 for a content type that is not JSON", async () => {
    const res = await postWebhook(JSON.stringify({ ticket: ticket() }), { headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "content-type must be application/json" });
  });

  it("answers 405 for anything but POST", async () => {
    const res = await exports.default.fetch(`https://triage.test/webhooks/${ACCOUNT}/generic`);
    expect(res.status).toBe(405);
  });
});
