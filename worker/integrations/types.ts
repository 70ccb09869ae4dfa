// The contracts every help-desk connector implements: inbound (verify and map
// a vendor's webhook) and outbound (post the approved reply, file an internal
// note). One module per vendor under webhooks/sources/ and connectors/outbound/.

import type { ArticleDraft } from "../domain/knowledge";
import type { SourceId } from "../domain/source-ids";
import type { Priority, Ticket } from "../domain/types";

export { isSourceId, SOURCE_IDS, type SourceId } from "../domain/source-ids";

// ── inbound ────────────────────────────────────────────────────────────────

/** One webhook delivery exactly as received: verification runs on the raw bytes. */
export interface RawDelivery {
  headers: Headers;
  body: Uint8Array;
  /** Current time in unix seconds (injected so tests can pin it). */
  now: number;
}

/** Why a delivery was refused; becomes `signature check failed: <reason>` (401). */
export type VerifyFailure =
  | "missing signature"
  | "malformed signature"
  | "bad signature"
  | "missing timestamp"
  | "malformed timestamp"
  | "stale timestamp"
  | "future timestamp";

/** A ticket mapped from a vendor payload. */
export interface InboundTicket {
  /** Our ticket model. `ticket.id` is the dedupe key for this delivery within the source:
   *  the vendor's ticket id for a new ticket, `<ticket id>:msg:<message id>` for a new customer message. */
  ticket: Ticket;
  /** The vendor's conversation/ticket id that replies and notes go to. */
  conversationId: string;
  /** Vendor-specific ids the outbound connector needs later (e.g. Help Scout customer id, Front inbox). */
  refs?: Record<string, string>;
  /**
   * Set when the requester is a stand-in (the payload had an id but no
   * address): the vendor's kind of person and id, which the triage Workflow
   * looks up where the connector can (`PeopleLookup`).
   */
  requesterRef?: RequesterRef;
}

/** Whom a stand-in requester stands for: the mapping's kind of person ("requester", "contact") and the vendor's id. */
export interface RequesterRef {
  kind: string;
  id: string;
}

export type MapResult =
  | { kind: "ticket"; value: InboundTicket }
  /** A well-formed event we do not triage (e.g. ticket.updated, an agent's own reply): answered 200, nothing stored. */
  | { kind: "ignored"; reason: string }
  /** The payload does not have the vendor's shape: 400 with the failing fields. */
  | { kind: "invalid"; fields: { path: string; message: string }[] }
  /**
   * The payload is genuine but lacks part of what the ticket needs (Help Scout
   * sent the conversation without its threads). Intake, once the signature
   * checked out, calls `complete` with the connector's outbound context and
   * uses what it returns; when that cannot be done (no credentials, the help
   * desk unreachable) it answers 503, so the help desk delivers again later.
   */
  | { kind: "fetch"; missing: string; complete(ctx: OutboundContext): Promise<MapResult> };

export interface WebhookSource {
  id: SourceId;
  /** Display name, e.g. "Zendesk". */
  name: string;
  /** Header carrying the vendor's delivery id (for dedupe and the delivery log), if the vendor sends one. */
  deliveryIdHeader: string | null;
  /**
   * Verifies signature (and timestamp, where the scheme has one; 5-minute
   * tolerance both ways) against ONE secret. Constant-time comparison.
   * Returns null when authentic.
   */
  verify(delivery: RawDelivery, secret: string): Promise<VerifyFailure | null>;
  /** Maps the parsed JSON body onto our ticket model. Never throws on bad input. */
  map(payload: unknown, headers: Headers): MapResult;
  /**
   * Reads the body's text as JSON where the vendor's JSON may be malformed in a
   * known way (Freshdesk templates that leave raw newlines in strings). Absent:
   * `JSON.parse`. The signature is checked on the raw bytes, never on this.
   */
  parseJson?(text: string): unknown;
  /**
   * A setup handshake some vendors send when the webhook is saved (Front's
   * `x-front-challenge`): the value to echo back in a 200 answer, checked only
   * after the signature verified.
   */
  challenge?(headers: Headers): string | null;
}

// ── outbound ───────────────────────────────────────────────────────────────

/** Where the reply goes and what we know about the ticket. */
export interface OutboundTarget {
  conversationId: string;
  requesterEmail: string;
  requesterName: string;
  subject: string;
  refs: Record<string, string>;
}

export interface OutboundContext {
  /** The vendor API base URL from the connector settings (tests point it at a local fake). */
  baseUrl: string;
  /** Decrypted outbound credentials, keys per vendor (see each connector's `credentialFields`). */
  credentials: Record<string, string>;
  /** Our task id (plus the kind of call): sent as the idempotency key where the vendor API takes one. */
  idempotencyKey: string;
  fetch: typeof fetch;
}

export interface OutboundResult {
  /** The vendor's id of what we created (comment, thread, message, article). */
  remoteId: string;
}

/** What of the triage reading a connector may write back to the ticket (per connector, chosen by an admin). */
export const WRITE_BACK_FIELDS = ["tags", "priority"] as const;
export type WriteBackField = (typeof WRITE_BACK_FIELDS)[number];

/**
 * The triage reading as the help desk gets it. `tags` are lowercase slugs
 * (`triage-billing`, `lang-de`, `urgency-high`, …) safe for every vendor; an
 * empty list or a null priority means "not chosen for this connector".
 */
export interface TriageFields {
  tags: string[];
  priority: Priority | null;
  category: string;
  language: string;
}

/** What the help desk answered to a triage write-back (for the audit trail). */
export interface TriageWritten {
  /** The vendor's id of what changed (the ticket or conversation). */
  remoteId: string;
  /** The tags the ticket carries afterwards where the vendor says so, else the tags we added. */
  tags: string[];
  /** The priority in the vendor's own terms as sent (e.g. Freshdesk `3`, Zammad `3 high`), null when none was written. */
  priority: string | number | null;
}

export interface CredentialField {
  key: string;
  label: string;
  secret: boolean;
  placeholder?: string;
}

export interface OutboundConnector {
  id: SourceId;
  name: string;
  /** The fields an admin fills in for outbound calls, besides the base URL. */
  credentialFields: CredentialField[];
  /** Default API base URL shown in the settings (may contain a placeholder like {subdomain}). */
  defaultBaseUrl: string;
  /** Posts the approved public reply on the conversation. */
  postReply(ctx: OutboundContext, target: OutboundTarget, body: string): Promise<OutboundResult>;
  /** Files an internal note (not visible to the customer); null where the vendor has none. */
  postInternalNote: ((ctx: OutboundContext, target: OutboundTarget, note: string) => Promise<OutboundResult>) | null;
  /** Which triage fields the vendor can take on a ticket (absent: no write-back). */
  triageFields?: readonly WriteBackField[];
  /**
   * Writes the triage reading onto the ticket: adds tags (never removes the
   * ticket's own) and sets the priority. Every part is safe to repeat (tags by
   * name, a priority value), because a retried Workflow step runs it again.
   */
  writeTriage?(ctx: OutboundContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten>;
}

// ── knowledge ──────────────────────────────────────────────────────────────

/** One help-center article or saved reply (macro, canned response, text module) as a vendor lists it. */
export interface ImportedArticle extends ArticleDraft {
  /** When the vendor last changed it (ISO 8601), if it says. */
  updatedAt: string | null;
}

/**
 * Reads a help desk's knowledge through its API with the connector's outbound
 * credentials: every published article and every shared saved reply, all
 * pages. The caller compares with what it has (changed ones are re-indexed,
 * missing ones deleted), so a source lists everything current, drafts and
 * archived items left out.
 */
export interface KnowledgeSource {
  /** What it imports, for the Knowledge page, e.g. "Guide articles and macros". */
  label: string;
  list(ctx: OutboundContext): AsyncIterable<ImportedArticle>;
}

// ── people ─────────────────────────────────────────────────────────────────

/** What a help desk knows of a person (either may be missing, e.g. an anonymous chat visitor). */
export interface PersonFound {
  email: string | null;
  name: string | null;
}

/**
 * Looks up the person behind a stand-in requester through the vendor's API
 * with the connector's outbound credentials (Zendesk Users, Intercom
 * Contacts, Chatwoot Contacts). Failures are OutboundErrors: retryable for
 * 429, 5xx and network errors, final for 404 and refused credentials.
 */
export interface PeopleLookup {
  /** The stand-in kinds it can look up (`RequesterRef.kind` as the mapping sets it). */
  kinds: readonly string[];
  /** The ticket's refs carry what the path needs besides the id (Chatwoot's account id). */
  find(ctx: OutboundContext, ref: RequesterRef, refs: Record<string, string>): Promise<PersonFound>;
}

/**
 * A vendor API call that failed. `retryable` for 429, 5xx, timeouts and network
 * errors (the Workflow step retries with backoff); other 4xx are final.
 */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    /** Seconds the vendor asked us to wait (Retry-After), if any. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

/** A system a person can connect their own identity for (OAuth code + PKCE), so replies they approve go out as them. */
export interface DelegationProvider {
  id: string;
  name: string;
  /** The connector whose settings hold the API base URL and the OAuth client. */
  source: SourceId;
  /** What we ask every person to grant. */
  scopes: readonly string[];
  /** Paths under the connector's API base URL. */
  authorizePath: string;
  tokenPath: string;
  /** Revokes the access token the request is made with (best effort). */
  revokePath: string;
}
