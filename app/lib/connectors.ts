// Shared by the connectors route (server) and its components (browser).
// No runtime imports from worker/: this file ends up in the browser bundle.

import type { SourceId } from "../../worker/domain/source-ids";
import type { ConnectorOverview } from "../../worker/http/dashboard";

type ConnectorIntent = "toggle" | "secret" | "outbound" | "writeBack";

import type { FieldError } from "../../worker/domain/errors";

export type { FieldError };

/** What the connectors route's action answers. Never carries a secret. */
export interface ConnectorActionResponse {
  ok: boolean;
  intent: ConnectorIntent | null;
  source: string | null;
  message?: string;
  /** Fingerprint of the signing secret just stored (intent "secret"). */
  fingerprint?: string;
  /** Until when the previous secret keeps verifying; null when it was revoked. */
  previousValidUntil?: string | null;
  enabled?: boolean;
  /** The triage write-back setting just stored (intent "writeBack"). */
  writeBack?: { enabled: boolean; fields: string[] };
  error?: string;
  fields?: FieldError[];
}

/** Grace periods offered when a signing secret is replaced, in hours. */
export const GRACE_OPTIONS: { hours: number; label: string }[] = [
  { hours: 0, label: "Revoke old secret now" },
  { hours: 1, label: "Keep old secret 1 h" },
  { hours: 24, label: "Keep old secret 24 h" },
  { hours: 72, label: "Keep old secret 3 days" },
  { hours: 168, label: "Keep old secret 7 days" },
];

/**
 * A new random signing secret, made in the browser (crypto.getRandomValues):
 * `whsec_` + base64 of 24 bytes for the Standard Webhooks source, 48 hex
 * characters for the others, except Help Scout, whose secret key field takes
 * at most 40 characters (40 hex characters, 20 bytes).
 */
export function generateSigningSecret(source: SourceId | string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(source === "helpscout" ? 20 : 24));
  if (source === "generic") return `whsec_${btoa(String.fromCharCode(...bytes))}`;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where the signing secret of each source comes from, shown beside the form. */
export const SECRET_ORIGIN: Record<SourceId, string> = {
  generic: "You choose it: generate one here and give it to the sender (Standard Webhooks, whsec_…).",
  zendesk: "Zendesk makes it: paste the webhook's signing secret (webhook details › Reveal secret).",
  helpscout: "You choose it: generate one here (at most 40 characters) and enter it as the webhook's Secret Key.",
  intercom: "Intercom makes it: paste your app's client secret (Developer Hub › your app › Basic information).",
  front: "Front makes it: paste your app's secret (Settings › Company › Developers › your app).",
  chatwoot: "Chatwoot makes it: paste the secret Chatwoot shows for the webhook.",
  zammad: "You choose it: generate one here and enter it as the webhook's HMAC SHA1 Signature Token.",
  freshdesk: "You choose it: generate one here and send it in the X-Support-Triage-Token header of the rule's webhook.",
};

/** The message for one field (exact path), if the action named it. */
export function fieldError(fields: FieldError[] | undefined, path: string): string | undefined {
  return fields?.find((f) => f.path === path)?.message;
}

/** One row of a source's delivery log, as the page shows it. */
export interface DeliveryRow {
  id: number;
  deliveryId: string | null;
  status: number;
  outcome: "accepted" | "duplicate" | "ignored" | "rejected";
  reason: string | null;
  taskId: string | null;
  receivedAt: string;
}

/** One connector as the page gets it from the loader (no secret in clear, ever). */
export type ConnectorData = Omit<ConnectorOverview, "deliveries"> & { deliveries: DeliveryRow[] };

export const inputClass =
  "block h-8 w-full min-w-0 rounded-md border border-neutral-300 bg-white px-2.5 text-[13px] outline-none placeholder:text-neutral-400 focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200 disabled:bg-neutral-50 aria-[invalid=true]:border-red-400";
const btn =
  "inline-flex h-8 shrink-0 items-center justify-center rounded-md px-3 text-xs font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50";
export const primaryButton = `${btn} bg-neutral-900 text-white hover:bg-neutral-800`;
export const secondaryButton = `${btn} border border-neutral-300 bg-white text-neutral-800 hover:bg-neutral-50`;
