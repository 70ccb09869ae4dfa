// Webhook intake: verify, validate, deduplicate, store, start the Workflow.
// Checks run cheapest-first and nothing is written until every check passed.

import { accountAgent } from "../agent/stubs";
import { sha256Hex } from "../crypto/hashing";
import { HttpError } from "../domain/errors";
import type { TaskStatus } from "../domain/types";
import { OutboundUrlError } from "../integrations/common/outbound-url";
import type { CallContext } from "../integrations/common/vendor-http";
import { type DeliveryRecord, deliveryLogStatements, logDelivery, outboundSettings, signingSecretsOf } from "../integrations/connector-settings";
import { SOURCES } from "../integrations/registry";
import { type InboundTicket, isSourceId, type MapResult, OutboundError, type SourceId, type VerifyFailure, type WebhookSource } from "../integrations/types";
import { isKilled, type OperatingState } from "../policy/operating-state";
import { inRollout } from "../policy/rollout";
import { startTriage } from "../triage/client";
import { type KnownDelivery, readIntakeState, readKnown, requesterLookupFor, storeTicket, taskStatusOf } from "./intake-store";

const MAX_BODY_BYTES = 256 * 1024;

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
export async function readLimited(request: Request, limit: number): Promise<Uint8Array> {
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
 * 202 new, 200 duplicate (or ignored event), 400, 401, 404, 413, 415, 423,
 * 429, 503. Each delivery that reaches a configured source is written to its
 * delivery log (outcome and reason only; a refused payload itself is never stored).
 *
 * The path stays short: one D1 batch reads the configuration, one checks for
 * duplicates, one account-agent call counts the rate (and takes a slot), one
 * batch stores ticket, task, audit row and log entry, and the Workflow starts.
 */
export async function handleWebhook(request: Request, env: Env, ctx: ExecutionContext, accountId: string, sourceParam: string): Promise<Response> {
  const source = isSourceId(sourceParam) ? SOURCES[sourceParam] : undefined;
  if (!source) {
    const { exists } = await readIntakeState(env.DB, accountId, sourceParam, null);
    throw new HttpError(404, exists ? `source "${sourceParam}" is not configured for account "${accountId}"` : `unknown account "${accountId}"`);
  }
  const deliveryId = source.deliveryIdHeader ? request.headers.get(source.deliveryIdHeader) : null;

  // The body is read, parsed and mapped before the one D1 read, so the dedupe
  // lookup rides along with the configuration. Nothing of it is believed,
  // answered on or written before its signature checks out; refusals keep
  // their order (404, 423, 415, 413, 401, 400).
  const jsonBody = isJsonContentType(request.headers.get("content-type"));
  let body: Uint8Array | null = null;
  let bodyError: HttpError | null = null;
  if (jsonBody) {
    try {
      body = await readLimited(request, MAX_BODY_BYTES);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      bodyError = err;
    }
  }
  const reading = body ? readTicket(source, body, request.headers) : null;
  const mapped = reading?.mapped;
  const probe =
    mapped?.kind === "ticket"
      ? {
          accountId,
          source: source.id,
          deliveryId,
          conversationId: mapped.value.conversationId,
          messageId: mapped.value.refs?.messageId ?? null,
          taskId: await taskIdFor(accountId, source.id, mapped.value.ticket.id),
        }
      : null;
  const state = await readIntakeState(env.DB, accountId, source.id, probe);
  if (!state.exists) throw new HttpError(404, `unknown account "${accountId}"`);
  const secrets = await signingSecretsOf(env, state.connector);
  if (!secrets) throw new HttpError(404, `source "${sourceParam}" is not configured for account "${accountId}"`);
  const { ops } = state;

  const log = (status: number, outcome: DeliveryRecord["outcome"], reason: string | null, taskId: string | null = null) =>
    logDelivery(env, accountId, { source: source.id, deliveryId, status, outcome, reason, taskId });
  try {
    // A decommissioned account keeps its data read-only and takes nothing new.
    if (ops.frozen) throw new HttpError(423, `account "${accountId}" is frozen: it accepts no new tickets`);
    if (!jsonBody) throw new HttpError(415, "content-type must be application/json");
    if (bodyError || !body) throw bodyError ?? new HttpError(400, "empty body");
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

    if (reading?.error) throw reading.error;
    // A genuine payload that lacks part of the ticket (Help Scout without its threads) is completed
    // through the help desk's API now, before anything is stored; no dedupe probe was possible for it.
    const result = mapped?.kind === "fetch" ? await completeMapping(env, accountId, source, mapped, log) : mapped;
    if (!result || result.kind === "invalid") throw new HttpError(400, "invalid ticket", { fields: result?.fields ?? [] });
    if (result.kind === "ignored") {
      await log(200, "ignored", result.reason);
      return answer({ ignored: true, reason: result.reason }, 200);
    }

    const accepted = await acceptTicket(
      env,
      { accountId, source: source.id, deliveryId, inbound: result.value, ops, defer: (p) => ctx.waitUntil(p) },
      state.known ?? undefined,
    );
    return answer({ taskId: accepted.taskId, duplicate: accepted.duplicate, status: accepted.status }, accepted.duplicate ? 200 : 202);
  } catch (err) {
    if (err instanceof HttpError && err.status < 500) await log(err.status, "rejected", err.message);
    throw err;
  }
}

/** A JSON answer to the help desk (errors are answered by the Worker's entry). */
function answer(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}

/** The body as the source's ticket (or why it is not one: a 400 to answer once the signature checked out). */
function readTicket(source: WebhookSource, body: Uint8Array, headers: Headers): { mapped?: MapResult; error?: HttpError } {
  let parsed: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    parsed = source.parseJson ? source.parseJson(text) : JSON.parse(text);
  } catch (err) {
    return { error: new HttpError(400, "invalid JSON", { fields: [{ path: "(body)", message: err instanceof Error ? err.message : "not JSON" }] }) };
  }
  return { mapped: source.map(parsed, headers) };
}

/** Time budget of the fetch a "fetch" mapping makes while the help desk waits for our answer. */
const COMPLETE_RETRY = { attempts: 2, timeoutMs: 5_000, maxRetryAfterSeconds: 2 };

/**
 * Completes a mapping that needs the help desk's API (Help Scout without
 * `_embedded.threads`), with the connector's outbound credentials. When that
 * cannot be done now (no outbound credentials, a refused base URL, the help
 * desk failing) the answer is 503 with Retry-After, logged with its reason:
 * the help desk delivers again and nothing is lost. Accepting with the
 * conversation's preview instead was rejected: it is a cut of one message, so
 * triage (risk checks included) would judge a fragment for good, and the
 * customer's address is often only in the threads. Nothing is stored before the
 * fetch succeeds, so a later redelivery is a first delivery, not a duplicate.
 */
async function completeMapping(
  env: Env,
  accountId: string,
  source: WebhookSource,
  pending: Extract<MapResult, { kind: "fetch" }>,
  log: (status: number, outcome: DeliveryRecord["outcome"], reason: string | null) => Promise<unknown>,
): Promise<Exclude<MapResult, { kind: "fetch" }>> {
  const unavailable = async (why: string) => {
    const message = `${source.name}'s payload lacks ${pending.missing}, which could not be fetched through its API: ${why}. Nothing was stored; a retry of this delivery is accepted once the fetch works`;
    await log(503, "rejected", message);
    return new HttpError(503, message, undefined, { "retry-after": "300" });
  };
  let settings: Awaited<ReturnType<typeof outboundSettings>>;
  try {
    settings = await outboundSettings(env, accountId, source.id);
  } catch (err) {
    if (err instanceof OutboundUrlError) throw await unavailable(`the outbound settings are refused (${err.message})`);
    throw err;
  }
  if (!settings) throw await unavailable("the connector has no outbound API credentials (set them on its Connectors card)");
  const ctx: CallContext = {
    baseUrl: settings.baseUrl,
    credentials: settings.credentials,
    idempotencyKey: `intake:${accountId}:${source.id}`,
    fetch: (input, init) => fetch(input, init),
    retry: COMPLETE_RETRY,
  };
  let result: MapResult;
  try {
    result = await pending.complete(ctx);
  } catch (err) {
    if (err instanceof OutboundError || err instanceof OutboundUrlError) throw await unavailable(err.message);
    throw err;
  }
  if (result.kind === "fetch") throw await unavailable("the fetched data was still incomplete");
  return result;
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
  /**
   * Starts the Workflow after the answer (webhooks: the help desk gets its 202
   * at once). Without it the start happens before returning. Either way a
   * start that fails is repeated by the account agent's sweep of stored,
   * unstarted tasks (AccountAgent.startStalledTasks), and by the delivery's retry.
   */
  defer?: (work: Promise<unknown>) => void;
}

export interface Accepted {
  taskId: string;
  duplicate: boolean;
  status: TaskStatus;
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
    throw new HttpError(
      429,
      `too many tickets for account "${accountId}": the limit is ${ops.ticketsPerMinute} per minute`,
      { retryAfter: retry },
      {
        "retry-after": String(retry),
      },
    );
  }
  return admission.slot;
}

/**
 * Stores the ticket and its task once, then makes sure the triage Workflow runs.
 * A repeated delivery finds the stored row and starts nothing new; if an
 * earlier attempt stored the ticket but failed to start the Workflow, the
 * repeat starts it, so a help desk's retry heals a half-done intake.
 */
export async function acceptTicket(env: Env, input: AcceptInput, alreadyKnown?: KnownDelivery): Promise<Accepted> {
  const { accountId, source, ops, deliveryId } = input;
  const { ticket, conversationId, refs } = input.inbound;
  const taskId = await taskIdFor(accountId, source, ticket.id);
  const log = (status: number, outcome: DeliveryRecord["outcome"], reason: string | null, id: string): DeliveryRecord => ({
    source,
    deliveryId,
    status,
    outcome,
    reason,
    taskId: id,
  });

  const known = alreadyKnown ?? (await readKnown(env.DB, { accountId, source, deliveryId, conversationId, messageId: refs?.messageId ?? null, taskId }));
  // The same vendor message delivered again under another ticket key (a first message that is
  // also "the conversation") is a duplicate of the task that has it.
  if (known.sameMessage && known.sameMessage.id !== taskId) {
    await env.DB.batch(deliveryLogStatements(env.DB, accountId, log(200, "duplicate", "same message", known.sameMessage.id)));
    return { taskId: known.sameMessage.id, duplicate: true, status: known.sameMessage.status };
  }
  // A delivery id seen before with a different ticket is not a redelivery: the ticket is taken
  // as new (and the reuse noted in the delivery log), never dropped as a duplicate of the other.
  const reusedDeliveryId = !!known.earlierTask && known.earlierTask !== taskId;

  let status = known.status;
  let duplicate = status !== null;
  if (status === null) {
    // The gates, for a ticket we have not seen: kill switch (store, hold), rollout
    // (store, skip), drafting slots (store, queue). Nothing is dropped.
    let initial: TaskStatus = "received";
    if (isKilled(ops)) initial = "held";
    else if (input.rollout !== false && !inRollout(ops.rolloutPercent, `${source}:${ticket.id}`)) initial = "skipped";
    const slot = await admit(env, accountId, taskId, ops, initial === "received");
    if (initial === "received" && !slot) initial = "queued";
    const stored = await storeTicket(env.DB, {
      accountId,
      source,
      taskId,
      deliveryId,
      inbound: input.inbound,
      status: initial,
      actor: input.actor ?? `webhook:${source}`,
      log: log(202, "accepted", reusedDeliveryId ? `delivery id already used for task ${known.earlierTask}: taken as a new ticket` : null, taskId),
    });
    // Two deliveries of the same new ticket at once: the other one stored it.
    duplicate = !stored;
    status = stored ? initial : ((await taskStatusOf(env.DB, taskId)) ?? "received");
  } else {
    await env.DB.batch(
      deliveryLogStatements(env.DB, accountId, log(200, "duplicate", known.earlierTask === taskId ? "same delivery id" : "same ticket", taskId)),
    );
  }

  if (status === "received") {
    // A stand-in requester the help desk can name: the Workflow looks the person up first.
    const identifyRequester = requesterLookupFor(source, input.inbound.requesterRef)?.status === "pending";
    if (input.defer) {
      input.defer(
        new Promise((r) => setTimeout(r, 20))
          .then(() => startTriage(env, { accountId, taskId, identifyRequester }))
          .catch((err: unknown) => console.error("could not start triage; the sweep retries", taskId, err instanceof Error ? err.message : String(err))),
      );
    } else {
      try {
        await startTriage(env, { accountId, taskId, identifyRequester });
      } catch (err) {
        console.error("could not start triage", taskId, err instanceof Error ? err.message : String(err));
        throw new HttpError(503, "the ticket is stored but triage could not start; retry the delivery", { taskId });
      }
    }
  }
  return { taskId, duplicate, status };
}
