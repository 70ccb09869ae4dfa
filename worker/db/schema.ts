// D1 holds what crosses accounts: who may do what, tickets and tasks, the audit
// trail, tool-invocation logs, the outbox and the daily figures.
// Migrations are generated from this file by `npm run db:generate`.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, sqliteView, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { TicketAttachment } from "../domain/attachments";
import { PRIORITIES, TASK_STATUSES } from "../domain/enums";

const createdAt = (column = "created_at") => text(column).notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`);

export const accounts = sqliteTable("accounts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

/**
 * One help-desk connector per account and source. Secrets are sealed with
 * AES-GCM (worker/crypto/secret-box.ts); only fingerprints are ever shown.
 */
export const connectors = sqliteTable(
  "connectors",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    source: text("source").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
    signingSecret: text("signing_secret"),
    signingSecretFingerprint: text("signing_secret_fp"),
    /** The secret before the last rotation: still accepted until `previousValidUntil`. */
    previousSecret: text("previous_secret"),
    previousSecretFingerprint: text("previous_secret_fp"),
    previousValidUntil: text("previous_valid_until"),
    apiBaseUrl: text("api_base_url"),
    /** Sealed JSON of the outbound credential fields. */
    apiCredentials: text("api_credentials"),
    /** The host (and port) the credentials were entered for: they are never sent anywhere else. */
    apiCredentialsHost: text("api_credentials_host"),
    /**
     * Whether (and what of) the triage reading is written back to the help
     * desk's ticket: a plain setting, not a secret. Null = off. The field names
     * are worker/integrations/types.ts WRITE_BACK_FIELDS.
     */
    writeBack: text("write_back", { mode: "json" }).$type<{ enabled: boolean; fields: ("tags" | "priority")[] }>(),
    updatedAt: createdAt("updated_at"),
    updatedBy: text("updated_by"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.source] })],
);

/** The delivery log admins see per source, like help desks' own webhook logs. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    source: text("source").notNull(),
    deliveryId: text("delivery_id"),
    status: integer("status").notNull(),
    outcome: text("outcome", { enum: ["accepted", "duplicate", "ignored", "rejected"] }).notNull(),
    reason: text("reason"),
    taskId: text("task_id"),
    receivedAt: createdAt("received_at"),
  },
  (t) => [index("webhook_deliveries_account_source").on(t.accountId, t.source, t.id)],
);

/** Calls to a help desk's API, recorded before they are made so a retried step never posts twice. */
export const outboundCalls = sqliteTable(
  "outbound_calls",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    taskId: text("task_id").notNull(),
    kind: text("kind", { enum: ["reply", "note", "triage"] }).notNull(),
    source: text("source").notNull(),
    status: text("status", { enum: ["started", "done", "failed"] }).notNull(),
    remoteId: text("remote_id"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: text("updated_at"),
  },
  (t) => [uniqueIndex("outbound_calls_task_kind").on(t.taskId, t.kind)],
);

/**
 * Operating controls per account, read at request time (no deploy): kill
 * switch, rollout, rate limits, in-flight cap, freeze, and the triage policy.
 */
export const accountSettings = sqliteTable("account_settings", {
  accountId: text("account_id")
    .primaryKey()
    .references(() => accounts.id),
  killSwitch: integer("kill_switch", { mode: "boolean" }).notNull().default(false),
  rolloutPercent: integer("rollout_percent").notNull().default(100),
  ticketsPerMinute: integer("tickets_per_minute").notNull().default(120),
  decisionsPerMinute: integer("decisions_per_minute").notNull().default(30),
  maxInFlight: integer("max_in_flight").notNull().default(50),
  frozen: integer("frozen", { mode: "boolean" }).notNull().default(false),
  /** AccountPolicy JSON (worker/policy/account-policy.ts); missing keys take defaults. */
  policy: text("policy", { mode: "json" }).notNull().default(sql`'{}'`),
  updatedAt: createdAt("updated_at"),
  updatedBy: text("updated_by"),
});

/** Platform-wide switches, e.g. the global kill switch (operators only). */
export const systemSettings = sqliteTable("system_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: createdAt("updated_at"),
  updatedBy: text("updated_by"),
});

/** Internal handoffs the agent filed; voided when the reply they belong to was never sent. */
export const handoffs = sqliteTable("handoffs", {
  id: text("id").primaryKey(),
  accountId: text("account_id").notNull(),
  taskId: text("task_id").notNull(),
  queue: text("queue").notNull(),
  note: text("note").notNull(),
  status: text("status", { enum: ["filed", "void"] })
    .notNull()
    .default("filed"),
  artifact: text("artifact"),
  createdAt: createdAt(),
  voidedAt: text("voided_at"),
});

/**
 * Where an account's entitlements come from when it is not the built-in
 * `customers`/`plans` tables: Stripe (a restricted API key, products or prices
 * mapped to our tiers) or a generic signed lookup URL. At most one row per
 * account is enabled. Secrets are sealed like connector secrets
 * (worker/crypto/secret-box.ts); only fingerprints are ever shown. Written
 * only by worker/billing/billing-sources.ts.
 */
export const billingSources = sqliteTable(
  "billing_sources",
  {
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    kind: text("kind", { enum: ["stripe", "generic"] }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(false),
    /** Sealed: Stripe's restricted API key, or the generic source's HMAC signing secret. */
    secret: text("secret"),
    secretFingerprint: text("secret_fp"),
    /** Stripe's API base (https://api.stripe.com unless overridden) or the generic lookup URL. */
    url: text("url"),
    /** How Stripe prices, products or a metadata key map to our tiers and SLA hours (worker/billing). */
    mapping: text("mapping", { mode: "json" }).$type<unknown>(),
    /** Sealed: the Stripe webhook endpoint's signing secret (whsec_…), for cache invalidation. */
    webhookSecret: text("webhook_secret"),
    webhookSecretFingerprint: text("webhook_secret_fp"),
    updatedAt: createdAt("updated_at"),
    updatedBy: text("updated_by"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.kind] })],
);

/** The built-in billing source: plans and the customers on them. */
export const plans = sqliteTable("plans", {
  id: text("id").primaryKey(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  name: text("name").notNull(),
  tier: text("tier", { enum: ["free", "pro", "enterprise"] }).notNull(),
  slaHours: integer("sla_hours").notNull(),
});

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    company: text("company"),
    planId: text("plan_id").references(() => plans.id),
  },
  (t) => [uniqueIndex("customers_account_email").on(t.accountId, t.email)],
);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` */
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
});

export const memberships = sqliteTable(
  "memberships",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    role: text("role", { enum: ["agent", "lead", "admin"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId] })],
);

export const sessions = sqliteTable("sessions", {
  /** SHA-256 of the cookie token: a leaked table does not leak sessions. */
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  expiresAt: text("expires_at").notNull(),
  /** Last request seen with this session (written at most once a minute): idle sessions expire. */
  lastSeenAt: text("last_seen_at"),
});

/** People signed in through an identity provider (OpenID Connect, Cloudflare Access). */
export const identities = sqliteTable(
  "identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    email: text("email").notNull(),
    createdAt: createdAt(),
    lastLoginAt: text("last_login_at"),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index("identities_user").on(t.userId)],
);

/** Personal API tokens for scripts: stored hashed, scoped to one account, expiring, revocable. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    name: text("name").notNull(),
    /** SHA-256 of the token; the token itself is shown once. */
    tokenHash: text("token_hash").notNull().unique(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: createdAt(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    lastUsedAt: text("last_used_at"),
  },
  (t) => [index("api_tokens_user").on(t.userId)],
);

/** Fixed one-minute windows of sign-in attempts, per address and per IP. */
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    key: text("key").notNull(),
    window: integer("window").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.window] })],
);

/** An admin's invitation to join an account with a role. */
export const invitations = sqliteTable("invitations", {
  id: text("id").primaryKey(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  email: text("email").notNull(),
  role: text("role", { enum: ["agent", "lead", "admin"] }).notNull(),
  /** SHA-256 of the invitation token in the link. */
  tokenHash: text("token_hash").notNull().unique(),
  invitedBy: text("invited_by").notNull(),
  createdAt: createdAt(),
  expiresAt: text("expires_at").notNull(),
  acceptedAt: text("accepted_at"),
});

export const tickets = sqliteTable(
  "tickets",
  {
    /** Same value as the task id: one triage task per ticket. */
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    source: text("source").notNull(),
    externalId: text("external_id").notNull(),
    deliveryId: text("delivery_id"),
    /** The help desk's ticket/conversation that replies and notes go to. */
    conversationId: text("conversation_id"),
    /** Vendor ids the outbound connector needs (e.g. Help Scout customer id). */
    refs: text("refs", { mode: "json" }).$type<Record<string, string>>().notNull().default(sql`'{}'`),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    requesterEmail: text("requester_email").notNull(),
    requesterName: text("requester_name").notNull(),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    ticketCreatedAt: text("ticket_created_at"),
    receivedAt: createdAt(),
    /** Files attached to the message: name, type, size and link only (worker/domain/attachments.ts). */
    attachments: text("attachments", { mode: "json" }).$type<TicketAttachment[]>().notNull().default(sql`'[]'`),
    /**
     * Set when the help desk sent a stand-in requester (an id, no address):
     * whom it stands for, and how looking the person up went ("pending" until
     * the triage Workflow's "identify requester" step; the reason when not identified).
     */
    requesterLookup: text("requester_lookup", { mode: "json" }).$type<RequesterLookup>(),
  },
  (t) => [uniqueIndex("tickets_account_source_external").on(t.accountId, t.source, t.externalId)],
);

/** A stand-in requester's lookup, as `tickets.requester_lookup` keeps it. */
export interface RequesterLookup {
  kind: string;
  id: string;
  status: "pending" | "identified" | "not_identified";
  /** Why the person was not identified (shown to the reviewer and the model). */
  reason?: string;
}

/**
 * What a help desk's API answered about a person behind a stand-in requester
 * (Zendesk user, Intercom or Chatwoot contact), kept briefly so a second
 * ticket from the same person makes no second call, and only briefly because
 * a name or address may change and this is personal data: rows expire after
 * an hour and expired ones are deleted as new ones are written. Written only
 * by worker/integrations/people-cache.ts.
 */
export const peopleCache = sqliteTable(
  "people_cache",
  {
    accountId: text("account_id").notNull(),
    source: text("source").notNull(),
    /** The stand-in's kind ("requester", "contact") and the vendor's id. */
    kind: text("kind").notNull(),
    personId: text("person_id").notNull(),
    email: text("email"),
    name: text("name"),
    fetchedAt: createdAt("fetched_at"),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.source, t.kind, t.personId] }), index("people_cache_expires").on(t.expiresAt)],
);

export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    status: text("status", {
      enum: TASK_STATUSES,
    })
      .notNull()
      .default("received"),
    round: integer("round").notNull().default(1),
    /** The last human decision: approve, edit, reject, revise (or null). */
    lastDecision: text("last_decision"),
    /** True once a human edited, rejected or sent back a proposal. */
    corrected: integer("corrected", { mode: "boolean" }).notNull().default(false),
    outcome: text("outcome"),
    note: text("note"),
    tier: text("tier"),
    category: text("category"),
    priority: text("priority"),
    confidence: integer("confidence_pct"),
    /** The ticket's language as triage read it (ISO 639-1, worker/agent/models/language.ts). */
    language: text("language"),
    decidedBy: text("decided_by"),
    /** First-response deadline from the account's SLA targets. */
    dueAt: text("due_at"),
    /** Risky clauses found in the last draft (JSON RiskFlag[]). */
    risk: text("risk", { mode: "json" }).$type<{ kind: string; match: string }[]>(),
    /** True when the reply went out without review (auto-send of a risk-free holding note). */
    automatic: integer("automatic", { mode: "boolean" }).notNull().default(false),
    /** UTC day the task was attempted: the key of the daily figures. */
    attemptedDay: text("attempted_day"),
    attemptedAt: text("attempted_at"),
    decidedAt: text("decided_at"),
    completedAt: text("completed_at"),
    /** When the reply went out (the customer's first response); null until then. */
    firstResponseAt: text("first_response_at"),
    /**
     * How much the reviewer changed the last draft before it went out, per mille
     * of its length (normalised edit distance, worker/tasks/edit-ratio.ts): 0 =
     * sent as drafted, 1000 = rewritten. Null until a reply is sent.
     */
    editRatio: integer("edit_ratio_permille"),
    createdAt: createdAt(),
  },
  (t) => [
    // The daily figures and the insights (per account and day, filtered by category and language).
    index("tasks_account_day_facets").on(t.accountId, t.attemptedDay, t.category, t.language),
    index("tasks_account_status").on(t.accountId, t.status),
    // The task list pages newest first (keyset on created_at, id).
    index("tasks_account_created").on(t.accountId, t.createdAt, t.id),
  ],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    taskId: text("task_id"),
    /** `user:<id>`, `agent:<account>`, `workflow`, `webhook:<source>` or `system`. */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    /** Where the artifact of this action lives (outbox row, handoff id, …). */
    artifact: text("artifact"),
    /** Set by writers that may retry (Workflow steps): the same key is stored once. */
    dedupeKey: text("dedupe_key").unique(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_account_time").on(t.accountId, t.createdAt), index("audit_task").on(t.taskId)],
);

export const toolInvocations = sqliteTable(
  "tool_invocations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id").notNull(),
    taskId: text("task_id"),
    tool: text("tool").notNull(),
    input: text("input", { mode: "json" }),
    outcome: text("outcome", { enum: ["ok", "error", "denied", "skipped"] }).notNull(),
    output: text("output", { mode: "json" }),
    durationMs: integer("duration_ms").notNull(),
    /** Who called: `agent:<account>` (the account agent) or `user:<email>` (a person, through an MCP client). */
    actor: text("actor"),
    /** The MCP client's name when an outside agent called the tool over MCP (worker/mcp); null for the account agent. */
    client: text("client"),
    createdAt: createdAt(),
  },
  (t) => [
    index("tool_invocations_task").on(t.taskId),
    // The slowest recent calls (Insights → Latency): walk one account's calls from the slowest down.
    index("tool_invocations_account_duration").on(t.accountId, t.durationMs),
    // The hourly retention purge (audit/tool-log.ts): one account's calls older than the keep days.
    index("tool_invocations_account_created").on(t.accountId, t.createdAt),
  ],
);

/**
 * Tool-call latency rolled up per account, hour, tool and duration bucket, so
 * the percentiles of the last 24 hours or 7 days read a few thousand rows
 * however many calls were logged. Written with the tool log, in the same
 * batch, by worker/audit/tool-log.ts.
 */
export const toolLatency = sqliteTable(
  "tool_latency",
  {
    accountId: text("account_id").notNull(),
    /** UTC hour, `YYYY-MM-DDTHH`. */
    hour: text("hour").notNull(),
    /** A tool's name, or `draft` for a whole drafting round. */
    tool: text("tool").notNull(),
    /** The bucket's upper bound in milliseconds (worker/audit/latency-buckets.ts). */
    bucket: integer("bucket").notNull(),
    calls: integer("calls").notNull(),
    errors: integer("errors").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.hour, t.tool, t.bucket] }),
    // Covering: a window's report reads every row of its hours (about 65,000 for a busy week) from this index alone, with no table lookups.
    index("tool_latency_account_hour_covering").on(t.accountId, t.hour, t.tool, t.bucket, t.calls, t.errors),
  ],
);

/**
 * A sample of a drafting round kept for quality review: what the model was
 * given and what it wrote, with customer data redacted before it is stored.
 * Deleted after the account's retention. Written only by worker/audit/samples.ts.
 */
export const draftSamples = sqliteTable(
  "draft_samples",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    taskId: text("task_id").notNull(),
    round: integer("round").notNull(),
    /** Which model drafted (offline, openai:<model>, workers-ai:<model>). */
    model: text("model").notNull(),
    /** Redacted: the system prompt and the messages the model read. */
    input: text("input", { mode: "json" }).notNull(),
    /** Redacted: the draft, its confidence, citations and tool calls. */
    output: text("output", { mode: "json" }).notNull(),
    /** How many of each kind of customer data were redacted, e.g. { email: 2, phone: 1 }. */
    redactions: text("redactions", { mode: "json" }).$type<Record<string, number>>().notNull(),
    createdAt: createdAt(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("draft_samples_account_created").on(t.accountId, t.createdAt, t.id), index("draft_samples_expires").on(t.expiresAt)],
);

/**
 * A reply an MCP client proposed (propose_reply). Its task runs the normal
 * triage Workflow; the account agent drafts exactly this text and it waits for
 * a person's decision like every proposal.
 */
export const proposedReplies = sqliteTable("proposed_replies", {
  /** The proposal's own task (and ticket row: a follow-up on the same conversation). */
  taskId: text("task_id").primaryKey(),
  accountId: text("account_id")
    .notNull()
    .references(() => accounts.id),
  /** The task of the ticket the reply answers. */
  inReplyTo: text("in_reply_to").notNull(),
  body: text("body").notNull(),
  /** The proposing client's own confidence, 0 to 1. */
  confidence: integer("confidence_pct").notNull(),
  /** `user:<email>`: the person the MCP client acts as. */
  proposedBy: text("proposed_by").notNull(),
  clientId: text("client_id").notNull(),
  clientName: text("client_name").notNull(),
  createdAt: createdAt(),
});

/**
 * The team's knowledge: help-center articles and saved replies, added by hand
 * or imported from a connected help desk. `body` is plain text (HTML and
 * Markdown are converted on the way in); the full-text index `knowledge_fts`
 * (an FTS5 table created by migration 0010, not expressible in drizzle) holds
 * one row per article under the same rowid. Written only by
 * worker/knowledge/store.ts, which keeps both in step.
 */
export const knowledgeArticles = sqliteTable(
  "knowledge_articles",
  {
    /** The FTS row shares this rowid. */
    rowid: integer("rowid").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    accountId: text("account_id").notNull(),
    /** `manual` (the page or the API) or the help desk it was imported from. */
    source: text("source").notNull(),
    /** The vendor's id (imported) or our own id (manual): unique per account and source. */
    externalId: text("external_id").notNull(),
    kind: text("kind", { enum: ["article", "saved_reply"] }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    url: text("url"),
    language: text("language").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    /** SHA-256 of what was indexed: a re-sync rewrites only what changed. */
    contentHash: text("content_hash").notNull(),
    /**
     * The topics the whole body mentions, as index tokens (text.ts `conceptTerms`), space-separated:
     * search reorders its best hits by them (full-text.ts). Null for rows written before the column
     * existed; search then reads them from the body.
     */
    topics: text("topics"),
    /** Whether this version is in the semantic index (Vectorize); only meaningful where the AI and VECTORIZE bindings exist. */
    embedded: integer("embedded", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: createdAt("updated_at"),
  },
  (t) => [
    uniqueIndex("knowledge_account_source_external").on(t.accountId, t.source, t.externalId),
    index("knowledge_account_updated").on(t.accountId, t.updatedAt),
    index("knowledge_account_unembedded").on(t.accountId, t.embedded),
  ],
);

/** The last sync of each account's imported knowledge source, shown on the Knowledge page. */
export const knowledgeSyncs = sqliteTable(
  "knowledge_syncs",
  {
    accountId: text("account_id").notNull(),
    source: text("source").notNull(),
    status: text("status", { enum: ["ok", "failed"] }).notNull(),
    /** Counts of the last sync: { seen, added, updated, unchanged, deleted }. */
    counts: text("counts", { mode: "json" }).$type<Record<string, number>>().notNull(),
    error: text("error"),
    finishedAt: text("finished_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.source] })],
);

/** The local help desk: approved replies land here exactly once per task. */
export const outbox = sqliteTable("outbox", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  accountId: text("account_id").notNull(),
  taskId: text("task_id").notNull().unique(),
  ticketExternalId: text("ticket_external_id").notNull(),
  toEmail: text("to_email").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  approvedBy: text("approved_by").notNull(),
  createdAt: createdAt(),
});

/**
 * Daily figures per account, derived from the tasks themselves so they can
 * never drift from what happened (no counters to double-increment on retries).
 */
export const dailyFigures = sqliteView("daily_figures").as((qb) =>
  qb
    .select({
      accountId: tasks.accountId,
      day: sql<string>`${tasks.attemptedDay}`.as("day"),
      attempted: sql<number>`count(*)`.as("attempted"),
      completed: sql<number>`sum(case when ${tasks.status} = 'sent' then 1 else 0 end)`.as("completed"),
      corrected: sql<number>`sum(case when ${tasks.corrected} then 1 else 0 end)`.as("corrected"),
    })
    .from(tasks)
    .where(sql`${tasks.attemptedDay} is not null`)
    .groupBy(tasks.accountId, tasks.attemptedDay),
);
