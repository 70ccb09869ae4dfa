// Sends the approved reply (and internal notes) back to the help desk the
// ticket came from. Each call is recorded in D1 BEFORE it is made and marked
// done after, so a retried Workflow step or tool call never posts twice.
// Sources without outbound settings (and `generic`) use the local outbox.
//
// An approved reply goes out under the approving person's name where the help
// desk supports delegation (Zendesk) and that person has connected: their
// delegated OAuth token is used, after checking that their grant covers what
// send_reply needs (worker/integrations/common/delegation-scopes.ts). Without a connection it goes
// out with the shared connector credentials (the integration user). The
// person's token comes from the account agent, through the function the caller
// passes in (`tokenFor`), so this module never calls up into the agent.
//
// The triage write-back (tags, priority) is the third recorded kind of call:
// once per task, only where the connector has it switched on.
import { NonRetryableError } from "cloudflare:workflows";
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { cleanCustomerText, hasVisibleText } from "../domain/customer-text";
import type { DelegatedAccess } from "../domain/types";
import { scopesFor } from "../integrations/common/delegation-scopes";
import { OutboundUrlError } from "../integrations/common/outbound-url";
import { outboundSettings } from "../integrations/connector-settings";
import { DELEGATION_PROVIDERS, type DelegationProviderId, OUTBOUND, providerForSource } from "../integrations/registry";
import {
  isSourceId,
  type OutboundConnector,
  type OutboundContext,
  OutboundError,
  type OutboundTarget,
  type TriageFields,
  type TriageWritten,
  type WriteBackField,
} from "../integrations/types";

type TicketRow = typeof schema.tickets.$inferSelect;
type CallKind = (typeof schema.outboundCalls.$inferSelect)["kind"];

/** How to get a person's delegated token for a provider and the scopes a call needs (the account agent keeps them). */
export type DelegatedTokenFor = (personId: string, provider: DelegationProviderId, requiredScopes: string[]) => Promise<DelegatedAccess>;

export interface Delivered {
  channel: string;
  /** Where the artifact lives: `outbox/<id>` or `<source>/<conversation>#<remote id>`. */
  artifact: string;
  /** Whose identity posted it: `delegated:<email>` (the approver's own token) or `shared` (the connector's credentials, or the outbox). */
  sentAs: string;
}

async function connectorFor(env: Env, ticket: TicketRow) {
  if (!isSourceId(ticket.source)) return null;
  const connector = OUTBOUND[ticket.source];
  if (!connector) return null;
  try {
    const settings = await outboundSettings(env, ticket.accountId, ticket.source);
    return settings ? { connector, settings } : null;
  } catch (err) {
    // A refused URL stays refused: no retry sends the credentials anywhere.
    if (err instanceof OutboundUrlError) throw new NonRetryableError(`the ${connector.name} API URL is refused: ${err.message}`);
    throw err;
  }
}

function targetOf(ticket: TicketRow): OutboundTarget {
  return {
    conversationId: ticket.conversationId ?? ticket.externalId,
    requesterEmail: ticket.requesterEmail,
    requesterName: ticket.requesterName,
    subject: ticket.subject,
    refs: ticket.refs,
  };
}

/**
 * Runs one recorded call. A call already done returns its stored result; a
 * final (non-retryable) failure is recorded and thrown as NonRetryableError so
 * the Workflow stops retrying and ends the task cleanly.
 */
async function recordedCall(
  env: Env,
  ticket: TicketRow,
  kind: CallKind,
  run: () => Promise<{ remoteId: string }>,
): Promise<{ remoteId: string; repeated: boolean }> {
  const db = getDb(env);
  const where = and(eq(schema.outboundCalls.taskId, ticket.id), eq(schema.outboundCalls.kind, kind));
  const existing = await db.query.outboundCalls.findFirst({ where });
  if (existing?.status === "done") return { remoteId: existing.remoteId!, repeated: true };
  if (existing) {
    await db
      .update(schema.outboundCalls)
      .set({ attempts: existing.attempts + 1, status: "started", updatedAt: new Date().toISOString() })
      .where(where);
  } else {
    await db.insert(schema.outboundCalls).values({ accountId: ticket.accountId, taskId: ticket.id, kind, source: ticket.source, status: "started" });
  }
  try {
    const { remoteId } = await run();
    await db.update(schema.outboundCalls).set({ status: "done", remoteId, error: null, updatedAt: new Date().toISOString() }).where(where);
    return { remoteId, repeated: false };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const final = err instanceof OutboundError && !err.retryable;
    await db
      .update(schema.outboundCalls)
      .set({ status: final ? "failed" : "started", error: message, updatedAt: new Date().toISOString() })
      .where(where);
    if (final) throw new NonRetryableError(message);
    throw err;
  }
}

function contextFor(settings: { baseUrl: string; credentials: Record<string, string> }, idempotencyKey: string): OutboundContext {
  return { baseUrl: settings.baseUrl, credentials: settings.credentials, idempotencyKey, fetch: (input, init) => fetch(input, init) };
}

/**
 * The credentials a reply approved by `approvedBy` goes out with. The approver
 * (`user:<email>`) is the acting person: their delegated token if they have
 * connected this help desk and their grant covers send_reply; the shared
 * credentials if they have not connected (or an automatic send). A grant that
 * does not cover the call, or one the provider no longer accepts, stops the
 * send (NonRetryableError with a note saying what to do).
 */
async function replyCredentials(
  env: Env,
  ticket: TicketRow,
  settings: { credentials: Record<string, string> },
  approvedBy: string,
  tokenFor: DelegatedTokenFor,
): Promise<{ credentials: Record<string, string>; sentAs: string }> {
  const shared = { credentials: settings.credentials, sentAs: "shared" };
  const provider = providerForSource(ticket.source);
  const email = approvedBy.startsWith("user:") ? approvedBy.slice("user:".length).toLowerCase() : null;
  if (!provider || !email) return shared;
  const person = await getDb(env).query.users.findFirst({ where: eq(schema.users.email, email), columns: { id: true } });
  if (!person) return shared;
  const name = DELEGATION_PROVIDERS[provider].name;
  const access = await tokenFor(person.id, provider, [...scopesFor("send_reply", provider)]);
  switch (access.status) {
    case "none":
      return shared;
    case "ok":
      return { credentials: { ...settings.credentials, oauth_access_token: access.accessToken }, sentAs: `delegated:${email}` };
    case "insufficient_scope":
      throw new NonRetryableError(
        `${email}'s ${name} connection lacks the ${access.missing.join(" and ")} scope (granted: ${access.granted.join(" ") || "none"}); reconnect ${name} on the Connections page`,
      );
    case "reconnect":
      throw new NonRetryableError(`${email}'s ${name} connection can no longer be used (${access.reason}); reconnect ${name} on the Connections page`);
  }
}

/** Posts the approved reply to the ticket's help desk, or to the local outbox. */
export async function deliverReply(env: Env, ticket: TicketRow, reply: string, approvedBy: string, tokenFor: DelegatedTokenFor): Promise<Delivered> {
  // Whatever produced the reply, the customer gets no control or invisible characters, and never an empty reply.
  const body = cleanCustomerText(reply);
  if (!hasVisibleText(body)) throw new NonRetryableError("the reply has no visible text, so nothing was sent");
  const out = await connectorFor(env, ticket);
  if (!out) return deliverToOutbox(env, ticket, body, approvedBy);
  const { connector, settings } = out;
  const auth = await replyCredentials(env, ticket, settings, approvedBy, tokenFor);
  const { remoteId } = await recordedCall(env, ticket, "reply", () =>
    connector.postReply(contextFor({ baseUrl: settings.baseUrl, credentials: auth.credentials }, `${ticket.id}:reply`), targetOf(ticket), body),
  );
  return { channel: connector.id, artifact: `${connector.id}/${targetOf(ticket).conversationId}#${remoteId}`, sentAs: auth.sentAs };
}

async function deliverToOutbox(env: Env, ticket: TicketRow, body: string, approvedBy: string): Promise<Delivered> {
  const db = getDb(env);
  await db
    .insert(schema.outbox)
    .values({
      accountId: ticket.accountId,
      taskId: ticket.id,
      ticketExternalId: ticket.externalId,
      toEmail: ticket.requesterEmail,
      subject: `Re: ${ticket.subject}`,
      body,
      approvedBy,
    })
    .onConflictDoNothing();
  const row = await db.query.outbox.findFirst({ where: eq(schema.outbox.taskId, ticket.id), columns: { id: true } });
  return { channel: "outbox", artifact: `outbox/${row!.id}`, sentAs: "shared" };
}

/**
 * Files the internal handoff as a note where the help desk has notes; null where it does not.
 * Runs while drafting, with no person acting: always the shared credentials.
 */
export async function fileInternalNote(env: Env, taskId: string, note: string): Promise<Delivered | null> {
  const ticket = await getDb(env).query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) });
  if (!ticket) return null;
  const out = await connectorFor(env, ticket);
  const post = out?.connector.postInternalNote;
  if (!out || !post) return null;
  const connector: OutboundConnector = out.connector;
  const { remoteId } = await recordedCall(env, ticket, "note", () => post(contextFor(out.settings, `${ticket.id}:note`), targetOf(ticket), note));
  return { channel: connector.id, artifact: `${connector.id}/${targetOf(ticket).conversationId}#${remoteId}`, sentAs: "shared" };
}

/** What became of a triage write-back. */
export type TriageWriteBack =
  | { status: "skipped"; reason: string }
  | {
      status: "written";
      channel: string;
      artifact: string;
      /** The fields written (what the connector has switched on and the vendor takes). */
      fields: WriteBackField[];
      /** The vendor's answer; null when an earlier attempt already wrote it (`repeated`). */
      written: TriageWritten | null;
      repeated: boolean;
    };

/**
 * Writes the triage reading onto the ticket in its help desk, once per task
 * (`readTicket` runs only when there is something to write):
 * recorded before the call like replies (kind "triage"), with the shared
 * credentials (no person is acting). Skipped, saying why, when the source has
 * no outbound settings, write-back is off, or the vendor takes none of the
 * chosen fields. A final vendor refusal is recorded and thrown as
 * NonRetryableError; anything else is thrown for the step to retry.
 */
export async function writeTriageBack(env: Env, ticket: TicketRow, readTicket: () => Promise<TriageFields>): Promise<TriageWriteBack> {
  let out: Awaited<ReturnType<typeof connectorFor>>;
  try {
    out = await connectorFor(env, ticket);
  } catch (err) {
    // A refused API URL: the reply path reports it; the reading is not worth a failure of its own.
    if (err instanceof NonRetryableError) return { status: "skipped", reason: err.message };
    throw err;
  }
  if (!out) return { status: "skipped", reason: "no outbound settings for this source" };
  const { connector, settings } = out;
  const write = connector.writeTriage;
  if (!write || !connector.triageFields?.length) return { status: "skipped", reason: `${connector.name} takes no triage fields` };
  if (!settings.writeBack.enabled) return { status: "skipped", reason: "write-back is off for this connector" };
  const fields = settings.writeBack.fields.filter((f) => connector.triageFields!.includes(f));
  const reading = await readTicket();
  const chosen: TriageFields = {
    ...reading,
    tags: fields.includes("tags") ? reading.tags : [],
    priority: fields.includes("priority") ? reading.priority : null,
  };
  if (!chosen.tags.length && !chosen.priority) return { status: "skipped", reason: "nothing to write" };
  let written: TriageWritten | null = null;
  const { remoteId, repeated } = await recordedCall(env, ticket, "triage", async () => {
    written = await write(contextFor(settings, `${ticket.id}:triage`), targetOf(ticket), chosen);
    return written;
  });
  return { status: "written", channel: connector.id, artifact: `${connector.id}/${targetOf(ticket).conversationId}#${remoteId}`, fields, written, repeated };
}

/**
 * Marks the task's triage write-back as failed after the step's retries ran
 * out (a final refusal is already marked). Returns false when it had been
 * written after all.
 */
export async function markTriageWriteBackFailed(env: Env, ticket: TicketRow, error: string): Promise<boolean> {
  const db = getDb(env);
  const where = and(eq(schema.outboundCalls.taskId, ticket.id), eq(schema.outboundCalls.kind, "triage"));
  const existing = await db.query.outboundCalls.findFirst({ where });
  if (existing?.status === "done") return false;
  const now = new Date().toISOString();
  if (existing) await db.update(schema.outboundCalls).set({ status: "failed", error, updatedAt: now }).where(where);
  else
    await db
      .insert(schema.outboundCalls)
      .values({ accountId: ticket.accountId, taskId: ticket.id, kind: "triage", source: ticket.source, status: "failed", error, updatedAt: now })
      .onConflictDoNothing();
  return true;
}

export async function ticketOf(env: Env, taskId: string): Promise<TicketRow> {
  const ticket = await getDb(env).query.tickets.findFirst({ where: eq(schema.tickets.id, taskId) });
  if (!ticket) throw new Error(`task ${taskId} has no ticket`);
  return ticket;
}
