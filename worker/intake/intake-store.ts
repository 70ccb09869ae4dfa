// D1 reads and writes of the intake path, in plain SQL over prepared
// statements: every webhook runs them, and building the same queries through
// the ORM cost more CPU than the queries themselves. Three round trips at
// most: the configuration, what is already known, and one batch that stores
// ticket, task, audit row and delivery-log entry together. Column names follow
// worker/db/schema.ts (the migrations are generated from it).

import { auditStatement } from "../audit/audit-trail";
import type { RequesterLookup } from "../db/schema";
import type { TaskStatus } from "../domain/types";
import { type DeliveryRecord, deliveryLogStatements } from "../integrations/connector-settings";
import { PEOPLE, SOURCES } from "../integrations/registry";
import { type InboundTicket, isSourceId, type RequesterRef } from "../integrations/types";
import { GLOBAL_KILL_SWITCH, type OperatingState, operatingStateFromRaw, type RawSettingsRow } from "../policy/operating-state";
import { newTaskStatement } from "../tasks/transitions";

interface ConnectorSecretsRow {
  accountId: string;
  source: string;
  enabled: boolean;
  signingSecret: string | null;
  previousSecret: string | null;
  previousValidUntil: string | null;
}

export type KnownDelivery = { earlierTask: string | null; sameMessage: { id: string; status: TaskStatus } | null; status: TaskStatus | null };

/** Which delivery to look for: its task, the vendor's delivery id and message id. */
export interface DeliveryProbe {
  accountId: string;
  source: string;
  deliveryId: string | null;
  conversationId: string;
  messageId: string | null;
  taskId: string;
}

/**
 * The account's existence, its operating state and the source's sealed
 * secrets, and (with a probe) what D1 already knows of the delivery: one
 * round trip for everything intake reads.
 */
export async function readIntakeState(db: D1Database, accountId: string, source: string, probe: DeliveryProbe | null) {
  const results = await db.batch([
    db.prepare("select 1 as ok from accounts where id = ?1").bind(accountId),
    db
      .prepare(
        "select kill_switch, rollout_percent, tickets_per_minute, decisions_per_minute, max_in_flight, frozen, policy, updated_at, updated_by from account_settings where account_id = ?1",
      )
      .bind(accountId),
    db.prepare("select value from system_settings where key = ?1").bind(GLOBAL_KILL_SWITCH),
    db
      .prepare("select enabled, signing_secret, previous_secret, previous_valid_until from connectors where account_id = ?1 and source = ?2")
      .bind(accountId, source),
    ...(probe ? knownStatements(db, probe) : []),
  ]);
  const [account, settings, global, connector] = results;
  const c = connector!.results[0] as
    | { enabled: number; signing_secret: string | null; previous_secret: string | null; previous_valid_until: string | null }
    | undefined;
  const secrets: ConnectorSecretsRow | undefined = c && {
    accountId,
    source,
    enabled: !!c.enabled,
    signingSecret: c.signing_secret,
    previousSecret: c.previous_secret,
    previousValidUntil: c.previous_valid_until,
  };
  return {
    exists: account!.results.length > 0,
    ops: operatingStateFromRaw(
      accountId,
      settings!.results[0] as RawSettingsRow | undefined,
      global!.results[0] as { value: string } | undefined,
    ) as OperatingState,
    connector: secrets,
    known: probe ? knownFrom(probe, results.slice(4)) : null,
  };
}

/** What D1 already knows of a delivery: the task of an earlier delivery with the same id, the same vendor message, the task itself. */
export async function readKnown(db: D1Database, probe: DeliveryProbe): Promise<KnownDelivery> {
  return knownFrom(probe, await db.batch(knownStatements(db, probe)));
}

function knownStatements(db: D1Database, q: DeliveryProbe): D1PreparedStatement[] {
  return [
    db
      .prepare("select task_id from webhook_deliveries where account_id = ?1 and source = ?2 and delivery_id = ?3 and task_id is not null limit 1")
      .bind(q.accountId, q.source, q.deliveryId ?? ""),
    db
      .prepare(
        `select t.id, k.status from tickets t join tasks k on k.id = t.id
         where t.account_id = ?1 and t.source = ?2 and t.conversation_id = ?3 and json_extract(t.refs, '$.messageId') = ?4 limit 1`,
      )
      .bind(q.accountId, q.source, q.conversationId, q.messageId ?? ""),
    db.prepare("select status from tasks where id = ?1").bind(q.taskId),
  ];
}

function knownFrom(q: DeliveryProbe, [byDelivery, byMessage, task]: D1Result[]): KnownDelivery {
  const delivery = q.deliveryId ? (byDelivery!.results[0] as { task_id: string } | undefined) : undefined;
  const message = q.messageId ? (byMessage!.results[0] as { id: string; status: TaskStatus } | undefined) : undefined;
  const own = task!.results[0] as { status: TaskStatus } | undefined;
  return { earlierTask: delivery?.task_id ?? null, sameMessage: message ?? null, status: own?.status ?? null };
}

/**
 * How a stand-in requester will be looked up: "pending" where the source has a
 * people lookup for its kind (the triage Workflow's "identify requester" step
 * does it), otherwise not identified at once, with the reason.
 */
export function requesterLookupFor(source: string, ref: RequesterRef | undefined): RequesterLookup | null {
  if (!ref) return null;
  const known = isSourceId(source);
  if (known && PEOPLE[source]?.kinds.includes(ref.kind)) return { ...ref, status: "pending" };
  const name = known ? SOURCES[source].name : source;
  return { ...ref, status: "not_identified", reason: `${name} sent no address for the requester (only ${ref.kind} ${ref.id}), and it cannot be looked up` };
}

/**
 * Stores a new ticket, its task, the `ticket.received` audit row and the
 * delivery-log entry in one transaction. Returns false when another delivery
 * of the same ticket stored it first (nothing of this one is written then,
 * except its log entry).
 */
export async function storeTicket(
  db: D1Database,
  s: {
    accountId: string;
    source: string;
    taskId: string;
    deliveryId: string | null;
    inbound: InboundTicket;
    status: TaskStatus;
    actor: string;
    log: DeliveryRecord;
  },
): Promise<boolean> {
  const { ticket, conversationId, refs } = s.inbound;
  const lookup = requesterLookupFor(s.source, s.inbound.requesterRef);
  const [inserted] = await db.batch([
    db
      .prepare(
        `insert into tickets (id, account_id, source, external_id, delivery_id, conversation_id, refs, subject, body, requester_email, requester_name, priority, tags, ticket_created_at, attachments, requester_lookup)
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) on conflict do nothing returning id`,
      )
      .bind(
        s.taskId,
        s.accountId,
        s.source,
        ticket.id,
        s.deliveryId,
        conversationId,
        JSON.stringify(refs ?? {}),
        ticket.subject,
        ticket.body,
        ticket.requester.email,
        ticket.requester.name,
        ticket.priority ?? "normal",
        JSON.stringify(ticket.tags ?? []),
        ticket.created_at ?? null,
        JSON.stringify(ticket.attachments ?? []),
        lookup ? JSON.stringify(lookup) : null,
      ),
    newTaskStatement(db, s.taskId, s.accountId, s.status),
    auditStatement(db, {
      accountId: s.accountId,
      taskId: s.taskId,
      actor: s.actor,
      action: "ticket.received",
      after: { ticketId: ticket.id, subject: ticket.subject, requester: ticket.requester.email, deliveryId: s.deliveryId, status: s.status },
      artifact: `tickets/${s.taskId}`,
      dedupeKey: `${s.taskId}:received`,
    }),
    ...deliveryLogStatements(db, s.accountId, s.log),
  ]);
  return inserted!.results.length > 0;
}

/**
 * What looking up a stand-in requester found: the real name and address
 * (either may be kept when the help desk did not know it), or why not, with
 * its audit row. Only a pending lookup changes (a repeated step changes
 * nothing); returns whether this call made the change.
 */
export async function recordRequesterLookup(
  db: D1Database,
  s: {
    accountId: string;
    taskId: string;
    lookup: RequesterLookup;
    /** The name and address found; a null one keeps the stand-in's. */
    requester: { email: string | null; name: string | null } | null;
    actor: string;
  },
): Promise<boolean> {
  const [updated] = await db.batch([
    db
      .prepare(
        `update tickets set requester_email = coalesce(?2, requester_email), requester_name = coalesce(?3, requester_name), requester_lookup = ?4
         where id = ?1 and json_extract(requester_lookup, '$.status') = 'pending' returning id`,
      )
      .bind(s.taskId, s.requester?.email ?? null, s.requester?.name ?? null, JSON.stringify(s.lookup)),
    auditStatement(db, {
      accountId: s.accountId,
      taskId: s.taskId,
      actor: s.actor,
      action: s.lookup.status === "identified" ? "requester.identified" : "requester.not_identified",
      after: { kind: s.lookup.kind, id: s.lookup.id, requester: s.requester?.email ?? null, reason: s.lookup.reason ?? null },
      artifact: `tickets/${s.taskId}`,
      dedupeKey: `${s.taskId}:requester`,
    }),
  ]);
  return updated!.results.length > 0;
}

export async function taskStatusOf(db: D1Database, taskId: string): Promise<TaskStatus | null> {
  return ((await db.prepare("select status from tasks where id = ?1").bind(taskId).first()) as { status: TaskStatus } | null)?.status ?? null;
}
