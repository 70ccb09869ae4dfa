// Who the customer is when the help desk sent a stand-in (Zendesk events carry
// only `requester_id`; Intercom and Chatwoot contacts often come without an
// address): the triage Workflow's "identify requester" step asks the help
// desk's API with the connector's outbound credentials, before the
// entitlement lookup, so billing, the drafter and the reviewer see the real
// name and address. The answer is cached for an hour (integrations/people-cache.ts).
// When it cannot be done the stand-in stays and the ticket says why
// ("requester not identified: …"), which the reviewer and the model see.
import { NonRetryableError } from "cloudflare:workflows";
import { eq } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { RequesterLookup } from "../db/schema";
import { recordRequesterLookup } from "../intake/intake-store";
import { isEmail } from "../integrations/common/inbound";
import { OutboundUrlError } from "../integrations/common/outbound-url";
import { outboundSettings } from "../integrations/connector-settings";
import { cachedPerson, rememberPerson } from "../integrations/people-cache";
import { PEOPLE, SOURCES } from "../integrations/registry";
import { isSourceId, OutboundError, type PersonFound } from "../integrations/types";

/** What the step returns (kept small: step results are stored by the engine). */
export type IdentifyOutcome = { status: "identified"; cached: boolean } | { status: "not_identified"; reason: string } | { status: "unchanged" };

const ACTOR = "workflow";

async function pendingTicket(env: Env, taskId: string) {
  const [t] = await getDb(env)
    .select({ accountId: schema.tickets.accountId, source: schema.tickets.source, refs: schema.tickets.refs, lookup: schema.tickets.requesterLookup })
    .from(schema.tickets)
    .where(eq(schema.tickets.id, taskId))
    .limit(1);
  if (!t) throw new NonRetryableError(`task ${taskId} has no stored ticket`);
  return t.lookup?.status === "pending" ? { ...t, lookup: t.lookup } : null;
}

/**
 * Looks the stand-in requester up (cache first) and records the real name and
 * address, or why not. Safe to repeat. Throws (so the step retries) only when
 * the help desk may answer later: 429, 5xx, a timeout.
 */
export async function identifyRequester(env: Env, accountId: string, taskId: string): Promise<IdentifyOutcome> {
  const t = await pendingTicket(env, taskId);
  if (!t) return { status: "unchanged" };
  const { lookup } = t;
  const ref = { kind: lookup.kind, id: lookup.id };
  const source = isSourceId(t.source) ? t.source : null;
  const people = source ? PEOPLE[source] : undefined;
  const vendor = source ? SOURCES[source].name : t.source;
  const notIdentified = (reason: string) => recordNotIdentified(env, accountId, taskId, reason);

  if (!source || !people?.kinds.includes(ref.kind)) return notIdentified(`${vendor} has no lookup for ${ref.kind} ${ref.id}`);

  let found = await cachedPerson(env, accountId, source, ref);
  const cached = !!found;
  if (!found) {
    let settings: Awaited<ReturnType<typeof outboundSettings>>;
    try {
      settings = await outboundSettings(env, accountId, source);
    } catch (err) {
      if (err instanceof OutboundUrlError) return notIdentified(`the ${vendor} API URL is refused: ${err.message}`);
      throw err;
    }
    if (!settings) return notIdentified(`the ${vendor} connector has no outbound credentials to look people up with`);
    try {
      found = await people.find(
        { baseUrl: settings.baseUrl, credentials: settings.credentials, idempotencyKey: `${taskId}:identify`, fetch: (input, init) => fetch(input, init) },
        ref,
        t.refs,
      );
    } catch (err) {
      if (err instanceof OutboundError && !err.retryable) return notIdentified(err.message);
      throw err;
    }
    await rememberPerson(env, accountId, source, ref, found);
  }
  return recordFound(env, accountId, taskId, lookup, found, vendor, cached);
}

async function recordFound(
  env: Env,
  accountId: string,
  taskId: string,
  lookup: RequesterLookup,
  found: PersonFound,
  vendor: string,
  cached: boolean,
): Promise<IdentifyOutcome> {
  const email = found.email?.trim().toLowerCase();
  const name = found.name?.replace(/\s+/g, " ").trim().slice(0, 200) || null;
  if (email && isEmail(email)) {
    await recordRequesterLookup(env.DB, {
      accountId,
      taskId,
      lookup: { kind: lookup.kind, id: lookup.id, status: "identified" },
      requester: { email, name: name ?? email.split("@")[0]! },
      actor: ACTOR,
    });
    return { status: "identified", cached };
  }
  // The help desk knows the person but has no address (an anonymous chat visitor): keep the name it has.
  const reason = `${vendor} has no email address for ${lookup.kind} ${lookup.id}`;
  await recordRequesterLookup(env.DB, {
    accountId,
    taskId,
    lookup: { kind: lookup.kind, id: lookup.id, status: "not_identified", reason },
    requester: name ? { email: null, name } : null,
    actor: ACTOR,
  });
  return { status: "not_identified", reason };
}

/** The stand-in stays; the ticket says why. Also what the Workflow records when the step's retries ran out. */
export async function recordNotIdentified(env: Env, accountId: string, taskId: string, failure: string): Promise<IdentifyOutcome> {
  // The engine hands a step's last error back as "<Name>: <message>": keep the vendor's message.
  const reason = failure.replace(/^(?:[A-Za-z]*Error: )+/, "").slice(0, 500);
  const t = await pendingTicket(env, taskId);
  if (!t) return { status: "unchanged" };
  await recordRequesterLookup(env.DB, {
    accountId,
    taskId,
    lookup: { kind: t.lookup.kind, id: t.lookup.id, status: "not_identified", reason },
    requester: null,
    actor: ACTOR,
  });
  return { status: "not_identified", reason };
}
