// Webhook intake: verify, validate, deduplicate, store, start the Workflow.
// Checks run cheapest-first and nothing is written until every check passed.
import { and, eq, sql } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { sha256Hex } from "../lib/crypto";
import { HttpError, json } from "../lib/http";
import { deliveryLogStatements, logDelivery, signingSecretsOf, type DeliveryRecord } from "../connectors/settings";
import { isSourceId, type InboundTicket, type SourceId, type VerifyFailure } from "../connectors/types";
import { accountAgent } from "../agent/stubs";
import { GLOBAL_KILL_SWITCH, isKilled, operatingStateFrom, type OperatingState } from "../operations/settings";
import type { TaskStatus } from "../types";
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

/** Everything intake needs to know about the account and the source, read in one D1 round trip. */
async function intakeConfig(env: Env, accountId: string, source: SourceId) {
  const db = getDb(env);
  const [account, settings, global, connector] = await db.batch([
    db.select({ id: schema.accounts.id }).from(schema.accounts).where(eq(schema.accounts.id, accountId)).limit(1),
    db.select().from(schema.accountSettings).where(eq(schema.accountSettings.accountId, accountId)).limit(1),
    db.select().from(schema.systemSettings).where(eq(schema.systemSettings.key, GLOBAL_KILL_SWITCH)).limit(1),
    db.select().from(schema.connectors).where(and(eq(schema.connectors.accountId, accountId), eq(schema.connectors.source, source))).limit(1),
  ]);
  return {
    exists: account.length > 0,
    ops: operatingStateFrom(accountId, settings[0], global[0]),
    secrets: await signingSecretsOf(env, connector[0]),
  };
}

/**
 * `POST /webhooks/:account/:source`. Every source keeps the same answers:
 * 202 new, 200 duplicate (or ignored event), 400, 401, 404, 413, 415, 423,
 * 429, 503. Each delivery that reaches a configured source is written to its
 * delivery log (outcome and reason only; a refused payload itself is never stored).
 *
 * The path stays short: one D1 batch reads the configuration, one checks for
 * duplicates, one account-agent call counts the rate (and takes a slot), one
 * batch stores ticket, task, audit row and log entry, and the Workflow starts.
 */
export async function handleWebhook(request: Request, env: Env, accountId: string, sourceParam: string): Promise<Response> {
  const source = isSourceId(sourceParam) ? SOURCES[sourceParam] : undefined;
  const config = source ? await intakeConfig(env, accountId, source.id) : null;
  if (config && !config.exists) throw new HttpError(404, `unknown account "${accountId}"`);
  if (!source || !config?.secrets) {
    if (!config) {
      const known = await getDb(env).query.accounts.findFirst({ where: eq(schema.accounts.id, accountId), columns: { id: true } });
      if (!known) throw new HttpError(404, `unknown account "${accountId}"`);
    }
    throw new HttpError(404, `source "${sourceParam}" is not configured for account "${accountId}"`);
  }
  const { ops, secrets } = config;

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

    const accepted = await acceptTicket(env, { accountId, source: source.id, deliveryId, inbound: mapped.value, ops });
    return json(
      { taskId: accepted.taskId, duplicate: accepted.duplicate, status: accepted.status },
      accepted.duplicate ? 200 : 202,
    );
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) await log(err.status, "rejected", err.message);
    throw err;
  }
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

export interface Accepted {
  taskId: string;
  duplicate: boolean;
  status: TaskStatus;
}

/** What D1 already knows about this delivery: an earlier delivery id, the same message, the task itself. */
async function knownDelivery(env: Env, input: AcceptInput, taskId: string) {
  const { accountId, source, deliveryId } = input;
  const { conversationId, refs } = input.inbound;
  const db = getDb(env);
  const [byDelivery, byMessage, task] = await db.batch([
    db
      .select({ taskId: schema.webhookDeliveries.taskId })
      .from(schema.webhookDeliveries)
      .where(
        and(
          eq(schema.webhookDeliveries.accountId, accountId),
          eq(schema.webhookDeliveries.source, source),
          deliveryId ? eq(schema.webhookDeliveries.deliveryId, deliveryId) : sql`0`,
          sql`${schema.webhookDeliveries.taskId} is not null`,
        ),
      )
      .limit(1),
    // Some help desks deliver a conversation's first message twice (as the new
    // conversation and as a new message): the vendor's message id catches that.
    db
      .select({ id: schema.tickets.id, status: schema.tasks.status })
      .from(schema.tickets)
      .innerJoin(schema.tasks, eq(schema.tasks.id, schema.tickets.id))
      .where(
        and(
          eq(schema.tickets.accountId, accountId),
          eq(schema.tickets.source, source),
          eq(schema.tickets.conversationId, conversationId),
          refs?.messageId ? sql`json_extract(${schema.tickets.refs}, '$.messageId') = ${refs.messageId}` : sql`0`,
        ),
      )
      .limit(1),
    db.select({ status: schema.tasks.status }).from(schema.tasks).where(eq(schema.tasks.id, taskId)).limit(1),
  ]);
  return { earlierTask: byDelivery[0]?.taskId ?? null, sameMessage: byMessage[0] ?? null, status: task[0]?.status ?? null };
}

/**
 * Tickets per minute per account: Cloudflare's rate limiting binding as the
 * platform's ceiling (it runs locally in Miniflare too), then the account's
 * own configurable limit, counted exactly in its agent, which also hands out
 * the in-flight slot in the same call. Refused deliveries get 429 with
 * Retry-After, and the help desk sends them again.
 */
async function admit(env: Env, accountId: string, taskId: string, ops: OperatingState, wantsSlot: boolean): Promise<boolean> {
  const ceiling = await env.WEBHOOK_RATE_LIMITER.limit({ key: accountId });
  if (!ceiling.success) {
    throw new HttpError(429, "too many deliveries: the platform limit was reached, retry in a minute", undefined, { "retry-after": "60" });
  }
  const admission = await (await accountAgent(env, accountId)).admitTicket(taskId, ops.ticketsPerMinute, wantsSlot ? ops.maxInFlight : null);
  if (!admission.rate.ok) {
    const retry = admission.rate.retryAfterSeconds;
    throw new HttpError(429, `too many tickets for account "${accountId}": the limit is ${ops.ticketsPerMinute} per minute`, { retryAfter: retry }, {
      "retry-after": String(retry),
    });
  }
  return admission.slot;
}

/**
 * Stores the ticket and its task once, then makes sure the triage Workflow runs.
 * A repeated delivery finds the stored row and starts nothing new; if an
 * earlier attempt stored the ticket but failed to start the Workflow, the
 * repeat starts it, so a help desk's retry heals a half-done intake.
 */
export async function acceptTicket(env: Env, input: AcceptInput): Promise<Accepted> {
  const { accountId, source, ops, deliveryId } = input;
  const { ticket, conversationId, refs } = input.inbound;
  const db = getDb(env);
  const taskId = await taskIdFor(accountId, source, ticket.id);
  const logged = (status: number, outcome: DeliveryRecord["outcome"], reason: string | null, id: string) =>
    deliveryLogStatements(db, accountId, { source, deliveryId, status, outcome, reason, taskId: id });

  const known = await knownDelivery(env, input, taskId);
  // A redelivery with the vendor's own delivery id is a duplicate even before we look at the ticket.
  const duplicateOf = known.earlierTask ?? (known.sameMessage && known.sameMessage.id !== taskId ? known.sameMessage.id : null);
  if (duplicateOf) {
    await db.batch(logged(200, "duplicate", known.earlierTask ? "same delivery id" : "same message", duplicateOf));
    const status = duplicateOf === taskId ? known.status : known.sameMessage?.status;
    return { taskId: duplicateOf, duplicate: true, status: (status ?? "received") as TaskStatus };
  }

  let status = known.status as TaskStatus | null;
  let duplicate = status !== null;
  if (status === null) {
    // The gates, for a ticket we have not seen: kill switch (store, hold), rollout
    // (store, skip), in-flight cap (store, queue). Nothing is dropped.
    let initial: TaskStatus = "received";
    if (isKilled(ops)) initial = "held";
    else if (input.rollout !== false && !inRollout(ops.rolloutPercent, `${source}:${ticket.id}`)) initial = "skipped";
    const slot = await admit(env, accountId, taskId, ops, initial === "received");
    if (initial === "received" && !slot) initial = "queued";
    const [inserted] = await db.batch([
      db
        .insert(schema.tickets)
        .values({
          id: taskId,
          accountId,
          source,
          externalId: ticket.id,
          deliveryId,
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
      db
        .insert(schema.auditEvents)
        .values({
          accountId,
          taskId,
          actor: input.actor ?? `webhook:${source}`,
          action: "ticket.received",
          after: { ticketId: ticket.id, subject: ticket.subject, requester: ticket.requester.email, deliveryId, status: initial },
          artifact: `tickets/${taskId}`,
          dedupeKey: `${taskId}:received`,
        })
        .onConflictDoNothing(),
      ...logged(202, "accepted", null, taskId),
    ]);
    // Two deliveries of the same new ticket at once: the other one stored it.
    duplicate = inserted.length === 0;
    status = duplicate ? (((await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId), columns: { status: true } }))?.status ?? "received") as TaskStatus) : initial;
  } else {
    await db.batch(logged(200, "duplicate", "same ticket", taskId));
  }

  if (status === "received") {
    try {
      await startTriage(env, { accountId, taskId });
    } catch (err) {
      console.error("could not start triage", taskId, err instanceof Error ? err.message : String(err));
      throw new HttpError(503, "the ticket is stored but triage could not start; retry the delivery", { taskId });
    }
  }
  return { taskId, duplicate, status };
}
