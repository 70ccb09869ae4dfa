// Webhook intake: verify, validate, deduplicate, store, start the Workflow.
// Checks run cheapest-first and nothing is written until every check passed.
import { and, eq, sql } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { sha256Hex } from "../lib/crypto";
import { HttpError, json } from "../lib/http";
import { logDelivery, taskOfDelivery, verifyingSecrets, type DeliveryRecord } from "../connectors/settings";
import { isSourceId, type InboundTicket, type SourceId, type VerifyFailure } from "../connectors/types";
import { accountAgent } from "../agents/account-agent";
import { isKilled, operatingState, type OperatingState } from "../operations/settings";
import { inRollout } from "../policy/rollout";
import { startTriage } from "../workflows/start";
import { SOURCES } from "./sources";

export const MAX_BODY_BYTES = 256 * 1024;

/** The task id is derived from account, source and the help desk's ticket id: a repeated delivery maps to the same task. */
export async function taskIdFor(accountId: string, source: string, externalId: string): Promise<string> {
  return `t_${(await sha256Hex(`${accountId}\u0000${source}\u0000${externalId}`)).slice(0, 32)}`;
}

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** Reads the body, refusing more than `limit` bytes even when Content-Length lies or is absent. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.byteLength;
  }
  return body;
}

const tooLarge = (limit: number) => new HttpError(413, `payload too large: the limit is ${limit / 1024} KiB`);

/**
 * `POST /webhooks/:account/:source`. Every source keeps the same answers:
 * 202 new, 200 duplicate (or ignored event), 400, 401, 404, 413, 415.
 * Each delivery that reaches a configured source is written to its delivery
 * log (outcome and reason only; a refused payload itself is never stored).
 */
export async function handleWebhook(request: Request, env: Env, accountId: string, sourceParam: string): Promise<Response> {
  const db = getDb(env);
  const account = await db.query.accounts.findFirst({ where: eq(schema.accounts.id, accountId), columns: { id: true } });
  if (!account) throw new HttpError(404, `unknown account "${accountId}"`);
  const ops = await operatingState(env, accountId);
  const source = isSourceId(sourceParam) ? SOURCES[sourceParam] : undefined;
  const secrets = source ? await verifyingSecrets(env, accountId, source.id) : null;
  if (!source || !secrets) throw new HttpError(404, `source "${sourceParam}" is not configured for account "${accountId}"`);

  const deliveryId = source.deliveryIdHeader ? request.headers.get(source.deliveryIdHeader) : null;
  const log = (status: number, outcome: DeliveryRecord["outcome"], reason: string | null, taskId: string | null = null) =>
    logDelivery(env, accountId, { source: source.id, deliveryId, status, outcome, reason, taskId });
  try {
    // A decommissioned account keeps its data read-only and takes nothing new.
    if (ops.frozen) throw new HttpError(423, `account "${accountId}" is frozen: it accepts no new tickets`);
    if (!isJsonContentType(request.headers.get("content-type"))) {
      throw new HttpError(415, "content-type must be application/json");
    }
    const body = await readLimited(request, MAX_BODY_BYTES);
    const delivery = { headers: request.headers, body, now: Math.floor(Date.now() / 1000) };
    let failure: VerifyFailure | null = null;
    // Any current secret may have signed it (two during a rotation's grace period).
    for (const secret of secrets) {
      failure = await source.verify(delivery, secret);
      if (!failure) break;
    }
    if (failure) throw new HttpError(401, `signature check failed: ${failure}`);

    const challenge = source.challenge?.(request.headers);
    if (challenge) {
      await log(200, "ignored", "setup challenge answered");
      return new Response(challenge, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch (err) {
      throw new HttpError(400, "invalid JSON", {
        fields: [{ path: "(body)", message: err instanceof Error ? err.message : "not JSON" }],
      });
    }
    const mapped = source.map(parsed, request.headers);
    if (mapped.kind === "invalid") throw new HttpError(400, "invalid ticket", { fields: mapped.fields });
    if (mapped.kind === "ignored") {
      await log(200, "ignored", mapped.reason);
      return json({ ignored: true, reason: mapped.reason }, 200);
    }

    // A redelivery with the vendor's own delivery id is a duplicate even before we look at the ticket.
    const earlier = deliveryId ? await taskOfDelivery(env, accountId, source.id, deliveryId) : null;
    if (earlier) {
      await log(200, "duplicate", "same delivery id", earlier);
      return json({ taskId: earlier, duplicate: true, status: await taskStatus(env, earlier) }, 200);
    }
    await enforceTicketRate(env, accountId, ops.ticketsPerMinute);
    const accepted = await acceptTicket(env, { accountId, source: source.id, deliveryId, inbound: mapped.value, ops });
    await log(accepted.duplicate ? 200 : 202, accepted.duplicate ? "duplicate" : "accepted", accepted.duplicate ? "same ticket" : null, accepted.taskId);
    return json(
      { taskId: accepted.taskId, duplicate: accepted.duplicate, status: accepted.status },
      accepted.duplicate ? 200 : 202,
    );
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) await log(err.status, "rejected", err.message);
    throw err;
  }
}

async function taskOfMessage(env: Env, accountId: string, source: string, conversationId: string, messageId: string) {
  const [hit] = await getDb(env)
    .select({ id: schema.tickets.id })
    .from(schema.tickets)
    .where(
      and(
        eq(schema.tickets.accountId, accountId),
        eq(schema.tickets.source, source),
        eq(schema.tickets.conversationId, conversationId),
        sql`json_extract(${schema.tickets.refs}, '$.messageId') = ${messageId}`,
      ),
    )
    .limit(1);
  return hit?.id ?? null;
}

async function taskStatus(env: Env, taskId: string) {
  const task = await getDb(env).query.tasks.findFirst({ where: eq(schema.tasks.id, taskId), columns: { status: true } });
  return task?.status ?? "received";
}

export interface AcceptInput {
  accountId: string;
  source: SourceId;
  deliveryId: string | null;
  inbound: InboundTicket;
  ops: OperatingState;
  /** Who brought the ticket, for the audit trail; `webhook:<source>` by default. */
  actor?: string;
  /** False when a person asked for this task (an MCP proposal): the rollout percentage does not skip it. */
  rollout?: boolean;
}

/**
 * Tickets per minute per account: Cloudflare's rate limiting binding as the
 * platform's ceiling (it runs locally in Miniflare too), then the account's
 * own configurable limit, counted exactly in its Durable Object. Refused
 * deliveries get 429 with Retry-After, and the help desk sends them again.
 */
async function enforceTicketRate(env: Env, accountId: string, perMinute: number) {
  const ceiling = await env.WEBHOOK_RATE_LIMITER.limit({ key: accountId });
  if (!ceiling.success) {
    throw new HttpError(429, "too many deliveries: the platform limit was reached, retry in a minute", undefined, { "retry-after": "60" });
  }
  const own = await (await accountAgent(env, accountId)).consumeRate("tickets", perMinute);
  if (!own.ok) {
    throw new HttpError(429, `too many tickets for account "${accountId}": the limit is ${perMinute} per minute`, { retryAfter: own.retryAfterSeconds }, {
      "retry-after": String(own.retryAfterSeconds),
    });
  }
}

/**
 * Stores the ticket and its task once, then makes sure the triage Workflow runs.
 * A repeated delivery finds the stored row and starts nothing new; if an
 * earlier attempt stored the ticket but failed to start the Workflow, the
 * repeat starts it, so a help desk's retry heals a half-done intake.
 */
export async function acceptTicket(env: Env, input: AcceptInput) {
  const { accountId, source, ops } = input;
  const { ticket, conversationId, refs } = input.inbound;
  const db = getDb(env);
  const taskId = await taskIdFor(accountId, source, ticket.id);
  // Some help desks deliver a conversation's first message twice (as the new
  // conversation and as a new message): the vendor's message id catches that.
  const sameMessage = refs?.messageId ? await taskOfMessage(env, accountId, source, conversationId, refs.messageId) : null;
  if (sameMessage && sameMessage !== taskId) {
    return { taskId: sameMessage, duplicate: true, status: await taskStatus(env, sameMessage) };
  }
  // The gates, for a ticket we have not seen: kill switch (store, hold), rollout
  // (store, skip), in-flight cap (store, queue). Nothing is dropped.
  const known = await db.query.tickets.findFirst({ where: eq(schema.tickets.id, taskId), columns: { id: true } });
  let initial: "received" | "held" | "skipped" | "queued" = "received";
  if (!known) {
    if (isKilled(ops)) initial = "held";
    else if (input.rollout !== false && !inRollout(ops.rolloutPercent, `${source}:${ticket.id}`)) initial = "skipped";
    else if (!(await (await accountAgent(env, accountId)).admitTask(taskId, ops.maxInFlight))) initial = "queued";
  }
  const [inserted] = await db.batch([
    db
      .insert(schema.tickets)
      .values({
        id: taskId,
        accountId,
        source,
        externalId: ticket.id,
        deliveryId: input.deliveryId,
        conversationId,
        refs: refs ?? {},
        subject: ticket.subject,
        body: ticket.body,
        requesterEmail: ticket.requester.email,
        requesterName: ticket.requester.name,
        priority: ticket.priority ?? "normal",
        tags: ticket.tags ?? [],
        ticketCreatedAt: ticket.created_at ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: schema.tickets.id }),
    db.insert(schema.tasks).values({ id: taskId, accountId, ticketId: taskId, status: initial }).onConflictDoNothing(),
  ]);
  const duplicate = inserted.length === 0;
  if (!duplicate) {
    await db.insert(schema.auditEvents).values({
      accountId,
      taskId,
      actor: input.actor ?? `webhook:${source}`,
      action: "ticket.received",
      after: { ticketId: ticket.id, subject: ticket.subject, requester: ticket.requester.email, deliveryId: input.deliveryId, status: initial },
      artifact: `tickets/${taskId}`,
    });
  }
  const status = await taskStatus(env, taskId);
  if (status !== "received") return { taskId, duplicate, status };
  try {
    await startTriage(env, { accountId, taskId });
  } catch (err) {
    console.error("could not start triage", taskId, err instanceof Error ? err.message : String(err));
    throw new HttpError(503, "the ticket is stored but triage could not start; retry the delivery", { taskId });
  }
  return { taskId, duplicate, status: await taskStatus(env, taskId) };
}
