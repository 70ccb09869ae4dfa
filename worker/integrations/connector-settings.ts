// Connector settings per account: which sources are on, their signing secrets
// (sealed at rest, rotation with a grace period), outbound API credentials and
// the triage write-back switch. Secrets never leave this module in clear
// except to verify or to call out; what admins see are fingerprints. Every
// change is audited.
//
// The write-back switch is a plain setting in its own column (`write_back`,
// null = off), beside the sealed `api_credentials` JSON, which holds the
// credential fields only.
import { and, desc, eq } from "drizzle-orm";
import { auditInsert } from "../audit/audit-trail";
import { openSecret, sealSecret, secretFingerprint } from "../crypto/secret-box";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
import { checkOutboundUrl, OutboundUrlError } from "./common/outbound-url";
import { type CredentialField, SOURCE_IDS, type SourceId, WRITE_BACK_FIELDS, type WriteBackField } from "./types";

export const DEFAULT_GRACE_HOURS = 24;
const MAX_GRACE_HOURS = 24 * 14;
const DELIVERY_LOG_KEEP = 200;

/** The key every stored secret is sealed with (connectors and billing sources). */
export function secretsKeyOf(env: Env): string {
  if (!env.CONNECTOR_SECRETS_KEY) {
    throw new HttpError(500, "CONNECTOR_SECRETS_KEY is not set: connector secrets cannot be read or written");
  }
  return env.CONNECTOR_SECRETS_KEY;
}

const signingPurpose = (accountId: string, source: string) => `${accountId}/${source}/signing`;
const credentialsPurpose = (accountId: string, source: string) => `${accountId}/${source}/credentials`;

type ConnectorRow = typeof schema.connectors.$inferSelect;

/** Whether (and what of) the triage reading is written back to the help desk's ticket. Off by default. */
export interface WriteBackSetting {
  enabled: boolean;
  fields: WriteBackField[];
}

const WRITE_BACK_OFF: WriteBackSetting = { enabled: false, fields: [] };

/** The write-back setting of a row (none stored = off). */
function writeBackOf(r: Pick<ConnectorRow, "writeBack"> | undefined): WriteBackSetting {
  return r?.writeBack ?? WRITE_BACK_OFF;
}

/** The outbound credentials from the sealed JSON. */
async function openCredentials(env: Env, accountId: string, source: string, sealed: string | null): Promise<Record<string, string>> {
  if (!sealed) return {};
  return JSON.parse(await openSecret(secretsKeyOf(env), sealed, credentialsPurpose(accountId, source))) as Record<string, string>;
}

async function sealCredentials(env: Env, accountId: string, source: string, credentials: Record<string, string>): Promise<string> {
  return sealSecret(secretsKeyOf(env), JSON.stringify(credentials), credentialsPurpose(accountId, source));
}

async function row(env: Env, accountId: string, source: string): Promise<ConnectorRow | undefined> {
  return getDb(env).query.connectors.findFirst({
    where: and(eq(schema.connectors.accountId, accountId), eq(schema.connectors.source, source)),
  });
}

/**
 * The secrets a delivery may be signed with: the current one, and the one
 * before it while its grace period lasts. Null when the source is off or unset.
 */
export async function verifyingSecrets(env: Env, accountId: string, source: SourceId, now = new Date()): Promise<string[] | null> {
  return signingSecretsOf(env, await row(env, accountId, source), now);
}

/** The same from a connector row a caller already read (intake reads it in its one batch). */
export async function signingSecretsOf(
  env: Env,
  r: Pick<ConnectorRow, "accountId" | "source" | "enabled" | "signingSecret" | "previousSecret" | "previousValidUntil"> | undefined,
  now = new Date(),
): Promise<string[] | null> {
  if (!r?.enabled || !r.signingSecret) return null;
  const key = secretsKeyOf(env);
  const purpose = signingPurpose(r.accountId, r.source);
  const secrets = [await openSecret(key, r.signingSecret, purpose)];
  if (r.previousSecret && r.previousValidUntil && r.previousValidUntil > now.toISOString()) {
    secrets.push(await openSecret(key, r.previousSecret, purpose));
  }
  return secrets;
}

/**
 * Base URL and decrypted credentials for outbound calls, or null when not
 * configured. The URL is checked again (worker/integrations/common/outbound-url.ts) and
 * must be on the host the credentials were entered for; otherwise nothing is
 * sent (OutboundUrlError).
 */
export async function outboundSettings(
  env: Env,
  accountId: string,
  source: SourceId,
): Promise<{ baseUrl: string; credentials: Record<string, string>; writeBack: WriteBackSetting } | null> {
  const r = await row(env, accountId, source);
  if (!r?.enabled || !r.apiBaseUrl || !r.apiCredentials) return null;
  const url = checkOutboundUrl(r.apiBaseUrl, source, env);
  const boundTo = r.apiCredentialsHost ?? hostOf(r.apiBaseUrl);
  if (url.host !== boundTo) throw new OutboundUrlError(`the ${source} credentials were entered for ${boundTo}, not ${url.host}: enter them again`);
  const credentials = await openCredentials(env, accountId, source, r.apiCredentials);
  return { baseUrl: r.apiBaseUrl, credentials, writeBack: writeBackOf(r) };
}

/**
 * Whether the connector a ticket came through writes the triage back: one
 * indexed read, so the Workflow runs its write-back step only for those.
 */
export async function writeBackWantedFor(env: Env, taskId: string): Promise<boolean> {
  const [found] = await getDb(env)
    .select({ enabled: schema.connectors.enabled, writeBack: schema.connectors.writeBack })
    .from(schema.tickets)
    .innerJoin(schema.connectors, and(eq(schema.connectors.accountId, schema.tickets.accountId), eq(schema.connectors.source, schema.tickets.source)))
    .where(eq(schema.tickets.id, taskId))
    .limit(1);
  return !!found?.enabled && writeBackOf(found).enabled;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** What the dashboard shows of a connector: never a secret in clear. */
export interface ConnectorView {
  source: SourceId;
  enabled: boolean;
  webhookPath: string;
  signingSecret: { fingerprint: string } | null;
  previousSecret: { fingerprint: string; validUntil: string } | null;
  apiBaseUrl: string | null;
  /** Which outbound credential fields are set (values are never returned). */
  credentialsSet: string[];
  /** Whether the triage reading is written back to the ticket, and which fields. */
  writeBack: WriteBackSetting;
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function listConnectors(env: Env, accountId: string, now = new Date()): Promise<ConnectorView[]> {
  const rows = await getDb(env).select().from(schema.connectors).where(eq(schema.connectors.accountId, accountId));
  const bySource = new Map(rows.map((r) => [r.source, r]));
  return Promise.all(
    SOURCE_IDS.map(async (source) => {
      const r = bySource.get(source);
      let credentialsSet: string[] = [];
      if (r?.apiCredentials) {
        try {
          credentialsSet = Object.keys(await openCredentials(env, accountId, source, r.apiCredentials));
        } catch {
          credentialsSet = [];
        }
      }
      return {
        source,
        enabled: r?.enabled ?? false,
        webhookPath: `/webhooks/${accountId}/${source}`,
        signingSecret: r?.signingSecretFingerprint ? { fingerprint: r.signingSecretFingerprint } : null,
        previousSecret:
          r?.previousSecretFingerprint && r.previousValidUntil && r.previousValidUntil > now.toISOString()
            ? { fingerprint: r.previousSecretFingerprint, validUntil: r.previousValidUntil }
            : null,
        apiBaseUrl: r?.apiBaseUrl ?? null,
        credentialsSet,
        writeBack: writeBackOf(r),
        updatedAt: r?.updatedAt ?? null,
        updatedBy: r?.updatedBy ?? null,
      };
    }),
  );
}

async function audit(env: Env, accountId: string, source: SourceId, actor: string, action: string, before: unknown, after: unknown) {
  await auditInsert(getDb(env), { accountId, actor, action, before, after, artifact: `connectors/${source}` });
}

async function ensureRow(env: Env, accountId: string, source: SourceId, actor: string) {
  await getDb(env).insert(schema.connectors).values({ accountId, source, updatedBy: actor }).onConflictDoNothing();
}

/** Turns a source on or off. Turning on needs a signing secret. */
export async function setEnabled(env: Env, accountId: string, source: SourceId, enabled: boolean, actor: string) {
  await ensureRow(env, accountId, source, actor);
  const before = await row(env, accountId, source);
  if (enabled && !before?.signingSecret) throw new HttpError(409, `set a signing secret for ${source} before switching it on`);
  await getDb(env)
    .update(schema.connectors)
    .set({ enabled, updatedAt: new Date().toISOString(), updatedBy: actor })
    .where(and(eq(schema.connectors.accountId, accountId), eq(schema.connectors.source, source)));
  await audit(env, accountId, source, actor, enabled ? "connector.enabled" : "connector.disabled", { enabled: before?.enabled ?? false }, { source, enabled });
}

/**
 * Sets a new signing secret. The old one keeps verifying for `graceHours`
 * (0 = revoke it now), so the help desk can be switched over without losing
 * deliveries. Returns the fingerprint of the new secret.
 */
export async function rotateSigningSecret(
  env: Env,
  accountId: string,
  source: SourceId,
  secret: string,
  graceHours: number,
  actor: string,
): Promise<{ fingerprint: string; previousValidUntil: string | null }> {
  if (secret.length < 8 || secret.length > 512)
    throw new HttpError(400, "a signing secret must be 8 to 512 characters", { fields: [{ path: "secret", message: "8 to 512 characters" }] });
  if (source === "generic" && !/^whsec_[A-Za-z0-9+/=]{16,}$/.test(secret)) {
    throw new HttpError(400, "the generic source needs a Standard Webhooks secret (whsec_ + base64)", {
      fields: [{ path: "secret", message: "whsec_ + base64" }],
    });
  }
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
    throw new HttpError(400, `grace period must be 0 to ${MAX_GRACE_HOURS} hours`, { fields: [{ path: "graceHours", message: "out of range" }] });
  }
  await ensureRow(env, accountId, source, actor);
  const before = (await row(env, accountId, source))!;
  const key = secretsKeyOf(env);
  const fingerprint = await secretFingerprint(secret);
  const keepPrevious = before.signingSecret && graceHours > 0;
  const previousValidUntil = keepPrevious ? new Date(Date.now() + graceHours * 3_600_000).toISOString() : null;
  await getDb(env)
    .update(schema.connectors)
    .set({
      signingSecret: await sealSecret(key, secret, signingPurpose(accountId, source)),
      signingSecretFingerprint: fingerprint,
      previousSecret: keepPrevious ? before.signingSecret : null,
      previousSecretFingerprint: keepPrevious ? before.signingSecretFingerprint : null,
      previousValidUntil,
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    })
    .where(and(eq(schema.connectors.accountId, accountId), eq(schema.connectors.source, source)));
  await audit(
    env,
    accountId,
    source,
    actor,
    "connector.secret_rotated",
    { fingerprint: before.signingSecretFingerprint },
    { source, fingerprint, previousValidUntil },
  );
  return { fingerprint, previousValidUntil };
}

/** Sets the outbound API base URL and credentials (merged: empty values keep what is stored). */
export async function setOutbound(
  env: Env,
  accountId: string,
  source: SourceId,
  input: { apiBaseUrl: string; credentials: Record<string, string> },
  fields: CredentialField[],
  actor: string,
) {
  let url: URL;
  try {
    url = checkOutboundUrl(input.apiBaseUrl, source, env);
  } catch (err) {
    if (!(err instanceof OutboundUrlError)) throw err;
    throw new HttpError(400, `the API base URL is refused: ${err.message}`, { fields: [{ path: "apiBaseUrl", message: err.message }] });
  }
  const allowed = new Set(fields.map((f) => f.key));
  const unknown = Object.keys(input.credentials).filter((k) => !allowed.has(k));
  if (unknown.length)
    throw new HttpError(400, `unknown credential fields: ${unknown.join(", ")}`, {
      fields: unknown.map((k) => ({ path: `credentials.${k}`, message: "unknown field" })),
    });

  await ensureRow(env, accountId, source, actor);
  const before = (await row(env, accountId, source))!;
  const current = await openCredentials(env, accountId, source, before.apiCredentials);
  const entered = Object.fromEntries(
    Object.entries(input.credentials)
      .filter(([, v]) => v.trim())
      .map(([k, v]) => [k, v.trim()]),
  );
  // Stored credentials stay with the host they were entered for: a new host needs them entered again.
  const boundTo = before.apiCredentialsHost ?? (before.apiBaseUrl ? hostOf(before.apiBaseUrl) : null);
  const kept = Object.keys(current).filter((k) => !(k in entered));
  if (boundTo && boundTo !== url.host && kept.length) {
    throw new HttpError(400, `the stored credentials were entered for ${boundTo}; enter them again for ${url.host}`, {
      fields: kept.map((k) => ({ path: `credentials.${k}`, message: `enter it again for ${url.host}` })),
    });
  }
  const merged = { ...current, ...entered };
  await getDb(env)
    .update(schema.connectors)
    .set({
      apiBaseUrl: url.toString().replace(/\/$/, ""),
      apiCredentials: await sealCredentials(env, accountId, source, merged),
      apiCredentialsHost: url.host,
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    })
    .where(and(eq(schema.connectors.accountId, accountId), eq(schema.connectors.source, source)));
  await audit(
    env,
    accountId,
    source,
    actor,
    "connector.outbound_updated",
    { apiBaseUrl: before.apiBaseUrl, credentialsSet: Object.keys(current) },
    { source, apiBaseUrl: url.toString(), credentialsSet: Object.keys(merged) },
  );
}

/**
 * Switches the triage write-back on or off and picks its fields. `supported`
 * is what the vendor can take (a field it cannot is refused, naming it).
 * Switching on needs the outbound settings: the write goes through them.
 */
export async function setWriteBack(
  env: Env,
  accountId: string,
  source: SourceId,
  input: WriteBackSetting,
  supported: readonly WriteBackField[],
  vendor: string,
  actor: string,
): Promise<WriteBackSetting> {
  const fields = WRITE_BACK_FIELDS.filter((f) => input.fields.includes(f));
  const unsupported = fields.filter((f) => !supported.includes(f));
  if (unsupported.length) {
    const can = supported.length ? `it takes ${supported.join(" and ")} only` : "it takes none";
    throw new HttpError(400, `${vendor} has no ${unsupported.join(" or ")} to write back to: ${can}`, {
      fields: [{ path: "fields", message: `${unsupported.join(", ")} not supported by ${vendor}` }],
    });
  }
  if (input.enabled && fields.length === 0)
    throw new HttpError(400, "choose at least one field to write back (tags or priority)", { fields: [{ path: "fields", message: "choose at least one" }] });
  await ensureRow(env, accountId, source, actor);
  const before = (await row(env, accountId, source))!;
  if (input.enabled && (!before.apiBaseUrl || Object.keys(await openCredentials(env, accountId, source, before.apiCredentials)).length === 0))
    throw new HttpError(409, `set the ${vendor} API base URL and credentials before switching write-back on`);
  const next: WriteBackSetting = { enabled: input.enabled, fields };
  await getDb(env)
    .update(schema.connectors)
    .set({
      // Off with no fields chosen is the same as never set: the column stays empty.
      writeBack: next.enabled || next.fields.length ? next : null,
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    })
    .where(and(eq(schema.connectors.accountId, accountId), eq(schema.connectors.source, source)));
  await audit(env, accountId, source, actor, "connector.write_back_updated", { writeBack: writeBackOf(before) }, { source, writeBack: next });
  return next;
}

// ── the delivery log ───────────────────────────────────────────────────────

export interface DeliveryRecord {
  source: string;
  deliveryId: string | null;
  status: number;
  outcome: "accepted" | "duplicate" | "ignored" | "rejected";
  reason: string | null;
  taskId: string | null;
}

export async function logDelivery(env: Env, accountId: string, d: DeliveryRecord) {
  await env.DB.batch(deliveryLogStatements(env.DB, accountId, d));
}

/**
 * The statements that log a delivery, for a caller's own batch. About one
 * delivery in 16 also trims the log to the newest 200 per account and source
 * (the trim costs more than the insert; the log holds a few more meanwhile).
 */
export function deliveryLogStatements(db: D1Database, accountId: string, d: DeliveryRecord, trim = Math.random() < 1 / 16): D1PreparedStatement[] {
  const insert = db
    .prepare("insert into webhook_deliveries (account_id, source, delivery_id, status, outcome, reason, task_id) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
    .bind(accountId, d.source, d.deliveryId, d.status, d.outcome, d.reason, d.taskId);
  if (!trim) return [insert];
  return [
    insert,
    db
      .prepare(
        `delete from webhook_deliveries where account_id = ?1 and source = ?2 and id <= (
           select id from webhook_deliveries where account_id = ?1 and source = ?2 order by id desc limit 1 offset ${DELIVERY_LOG_KEEP})`,
      )
      .bind(accountId, d.source),
  ];
}

/** The newest deliveries (optionally of one source), newest first. */
export async function recentDeliveries(env: Env, accountId: string, source?: SourceId, limit = 20) {
  return getDb(env)
    .select()
    .from(schema.webhookDeliveries)
    .where(
      source
        ? and(eq(schema.webhookDeliveries.accountId, accountId), eq(schema.webhookDeliveries.source, source))
        : eq(schema.webhookDeliveries.accountId, accountId),
    )
    .orderBy(desc(schema.webhookDeliveries.id))
    .limit(limit);
}
