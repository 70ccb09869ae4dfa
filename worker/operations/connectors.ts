// What admins do with connectors, shared by the REST API and the dashboard's
// actions: validated input in, audited changes out.
import { z } from "zod";
import { fieldErrors, HttpError } from "../domain/errors";
import type { SessionUser } from "../domain/types";
import { actorOf, requireRole } from "../identity/session";
import {
  type ConnectorView,
  DEFAULT_GRACE_HOURS,
  listConnectors,
  recentDeliveries,
  rotateSigningSecret,
  setEnabled,
  setOutbound,
  setWriteBack,
} from "../integrations/connector-settings";
import { OUTBOUND } from "../integrations/registry";
import { type CredentialField, isSourceId, type SourceId, WRITE_BACK_FIELDS, type WriteBackField } from "../integrations/types";

export interface ConnectorOverview extends ConnectorView {
  name: string;
  credentialFields: CredentialField[];
  defaultBaseUrl: string | null;
  /** The triage fields this help desk can take on a ticket (empty: no write-back). */
  writeBackFields: readonly WriteBackField[];
  deliveries: Awaited<ReturnType<typeof recentDeliveries>>;
}

const NAMES: Record<SourceId, string> = {
  generic: "Generic (Standard Webhooks)",
  zendesk: "Zendesk",
  helpscout: "Help Scout",
  intercom: "Intercom",
  front: "Front",
  chatwoot: "Chatwoot",
  zammad: "Zammad",
  freshdesk: "Freshdesk",
};

function sourceOf(param: string): SourceId {
  if (!isSourceId(param)) throw new HttpError(404, `no source "${param}"`);
  return param;
}

export async function connectorOverview(env: Env, user: SessionUser, accountId: string): Promise<ConnectorOverview[]> {
  requireRole(user, accountId, "admin");
  const views = await listConnectors(env, accountId);
  return Promise.all(
    views.map(async (v) => ({
      ...v,
      name: NAMES[v.source],
      credentialFields: OUTBOUND[v.source]?.credentialFields ?? [],
      defaultBaseUrl: OUTBOUND[v.source]?.defaultBaseUrl ?? null,
      writeBackFields: OUTBOUND[v.source]?.writeTriage ? (OUTBOUND[v.source]?.triageFields ?? []) : [],
      deliveries: await recentDeliveries(env, accountId, v.source, 20),
    })),
  );
}

export async function enableConnector(env: Env, user: SessionUser, accountId: string, sourceParam: string, raw: unknown) {
  requireRole(user, accountId, "admin");
  const parsed = z.object({ enabled: z.boolean() }).strict().safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid request", { fields: fieldErrors(parsed.error) });
  await setEnabled(env, accountId, sourceOf(sourceParam), parsed.data.enabled, actorOf(user));
  return { enabled: parsed.data.enabled };
}

/**
 * Sets a new signing secret: the help desk's own, or one the dashboard
 * generated in the browser. It is never sent back, only its fingerprint.
 */
export async function rotateConnectorSecret(env: Env, user: SessionUser, accountId: string, sourceParam: string, raw: unknown) {
  requireRole(user, accountId, "admin");
  const parsed = z
    .object({
      secret: z.string().trim().min(1).max(512),
      graceHours: z
        .number()
        .min(0)
        .max(24 * 14)
        .optional(),
    })
    .strict()
    .safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid request", { fields: fieldErrors(parsed.error) });
  return rotateSigningSecret(env, accountId, sourceOf(sourceParam), parsed.data.secret, parsed.data.graceHours ?? DEFAULT_GRACE_HOURS, actorOf(user));
}

export async function updateConnectorOutbound(env: Env, user: SessionUser, accountId: string, sourceParam: string, raw: unknown) {
  requireRole(user, accountId, "admin");
  const source = sourceOf(sourceParam);
  const connector = OUTBOUND[source];
  if (!connector) throw new HttpError(400, `${NAMES[source]} replies go to the built-in outbox; there is nothing to configure`);
  const parsed = z
    .object({ apiBaseUrl: z.string().trim().min(1).max(500), credentials: z.record(z.string(), z.string().max(2000)) })
    .strict()
    .safeParse(raw);
  if (!parsed.success) throw new HttpError(400, "invalid request", { fields: fieldErrors(parsed.error) });
  await setOutbound(env, accountId, source, parsed.data, connector.credentialFields, actorOf(user));
  return { ok: true };
}

/**
 * Switches writing the triage reading back to the help desk on or off, with
 * the fields to write (`tags`, `priority`): `{ enabled, fields }`. Audited.
 */
export async function updateConnectorWriteBack(env: Env, user: SessionUser, accountId: string, sourceParam: string, raw: unknown) {
  requireRole(user, accountId, "admin");
  const source = sourceOf(sourceParam);
  const connector = OUTBOUND[source];
  if (!connector?.writeTriage || !connector.triageFields?.length)
    throw new HttpError(400, `${NAMES[source]} has no help-desk ticket to write the triage back to`);
  const parsed = z
    .object({
      enabled: z.boolean(),
      fields: z.array(z.enum(WRITE_BACK_FIELDS, { error: `expected ${WRITE_BACK_FIELDS.map((f) => `"${f}"`).join(" or ")}` })).max(WRITE_BACK_FIELDS.length),
    })
    .strict()
    .safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error);
    const badFields = fields.some((f) => f.path === "fields" || f.path.startsWith("fields."));
    throw new HttpError(400, badFields ? `write-back fields must be a list of ${WRITE_BACK_FIELDS.map((f) => `"${f}"`).join(" and/or ")}` : "invalid request", {
      fields,
    });
  }
  const writeBack = await setWriteBack(env, accountId, source, parsed.data, connector.triageFields, connector.name, actorOf(user));
  return { writeBack };
}
