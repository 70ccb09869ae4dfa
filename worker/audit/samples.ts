// Samples for quality review (D1 `draft_samples`): for a share of drafting
// rounds, what the model read and what it proposed, with customer data
// redacted before it is stored (./redaction.ts) and each sample's size capped.
// This module is the one writer of the table; it also lists, reads, exports
// (an evaluation set, JSON Lines) and deletes expired samples. The reviewer's
// decision beside a sample is read from the audit trail when it is shown,
// never copied into the sample.
import { and, asc, desc, eq, gt, inArray, like, lt, or } from "drizzle-orm";
import { sha256Hex } from "../crypto/hashing";
import { deleteInBatches } from "../db/batched-delete";
import { getDb, schema } from "../db/client";
import { HttpError } from "../domain/errors";
import type { Json } from "../domain/types";
import { type RedactionCounts, redactJson, redactText } from "./redaction";

/** A sample's input (the system prompt and the messages) is cut to this many bytes of JSON; its output to the second. */
export const SAMPLE_INPUT_MAX_BYTES = 64 * 1024;
const SAMPLE_OUTPUT_MAX_BYTES = 32 * 1024;

/** Export pages: a few rows of at most ~100 KB each, so memory never grows with the number of samples. */
const EXPORT_PAGE = 25;

/** D1 binds at most 100 parameters per query: task ids are looked up this many at a time. */
const TASKS_PER_QUERY = 90;

/** Expired samples go in batches this big, and one purge does at most this many batches (the next one goes on). */
const PURGE_BATCH = 500;
const PURGE_MAX_BATCHES = 20;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The reviewer's decision on the sampled round, from the audit trail (null while there is none). */
interface SampleDecision {
  /** approve (accepted as drafted), edit, reject, revise (sent back for another round) or auto_approve (sent by the auto-send policy). */
  action: string;
  by: string;
  /** The reply the reviewer wrote (an edit), redacted like the sample. */
  body?: string;
  /** The reviewer's note (a rejection or a send-back), redacted like the sample. */
  note?: string;
  edited: boolean;
  /** How much the edit changed the draft, per mille (tasks/edit-ratio.ts), when the task recorded it for this round. */
  editRatioPermille: number | null;
}

export interface SampleSummary {
  id: string;
  taskId: string;
  round: number;
  model: string;
  createdAt: string;
  expiresAt: string;
  language: string | null;
  redactions: RedactionCounts;
  decision: SampleDecision | null;
}

export interface Sample extends SampleSummary {
  input: Json;
  output: Json;
}

export interface SamplePage {
  samples: SampleSummary[];
  /** Older samples. */
  nextCursor: string | null;
  /** Newer samples (null on the first page). */
  prevCursor: string | null;
}

// ── keeping a sample ──────────────────────────────────────────────────────

/**
 * Whether this round of this task is sampled under a share in percent: the
 * same answer every time it is asked (a retried round keeps or skips alike).
 */
export async function isSampled(taskId: string, round: number, sharePercent: number): Promise<boolean> {
  if (sharePercent <= 0) return false;
  if (sharePercent >= 100) return true;
  const bucket = Number.parseInt((await sha256Hex(`${taskId}:${round}`)).slice(0, 8), 16) % 10_000;
  return bucket < Math.round(sharePercent * 100);
}

/**
 * Keeps one round's sample, redacted then capped; a round kept before (a
 * retried step) is kept once. Returns the sample's id.
 */
export async function keepSample(
  env: Env,
  s: { accountId: string; taskId: string; round: number; model: string; input: Json; output: Json; keepDays: number; now?: Date },
): Promise<string> {
  const input = redactJson(s.input);
  const output = redactJson(s.output);
  const redactions: RedactionCounts = { ...input.counts };
  for (const [k, n] of Object.entries(output.counts) as [keyof RedactionCounts, number][]) redactions[k] = (redactions[k] ?? 0) + n;
  const now = s.now ?? new Date();
  const id = `s_${(await sha256Hex(`${s.accountId}:${s.taskId}:${s.round}`)).slice(0, 32)}`;
  await getDb(env)
    .insert(schema.draftSamples)
    .values({
      id,
      accountId: s.accountId,
      taskId: s.taskId,
      round: s.round,
      model: s.model.slice(0, 200),
      input: capJson(input.value, SAMPLE_INPUT_MAX_BYTES),
      output: capJson(output.value, SAMPLE_OUTPUT_MAX_BYTES),
      redactions,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + s.keepDays * DAY_MS).toISOString(),
    })
    .onConflictDoNothing();
  return id;
}

const utf8Length = (v: Json) => new TextEncoder().encode(JSON.stringify(v)).length;

/**
 * `value` at most `maxBytes` of JSON: the longest strings are shortened first,
 * each ending in a marker saying how much was cut, so a huge ticket cannot
 * make a huge row while the rest stays whole.
 */
export function capJson(value: Json, maxBytes: number): Json {
  let out = value;
  for (let i = 0; i < 200; i++) {
    const excess = utf8Length(out) - maxBytes;
    if (excess <= 0) return out;
    const longest = longestString(out);
    if (!longest || longest.length < 64) break;
    // Characters may take up to 3 bytes (escapes up to 6); cutting by the excess in characters converges in a few steps.
    const keep = Math.max(0, Math.min(longest.length - excess - 40, Math.floor(longest.length / 2)));
    out = replaceString(out, longest, `${longest.slice(0, keep)}…[truncated ${longest.length - keep} characters]`);
  }
  return utf8Length(out) <= maxBytes ? out : { truncated: `this part of the sample was larger than ${Math.round(maxBytes / 1024)} KB` };
}

function longestString(v: Json): string | null {
  if (typeof v === "string") return v;
  let best: string | null = null;
  const children = Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : [];
  for (const c of children) {
    const s = longestString(c);
    if (s !== null && (best === null || s.length > best.length)) best = s;
  }
  return best;
}

/** `v` with the first occurrence of the string `from` (by identity of content) replaced. */
function replaceString(v: Json, from: string, to: string): Json {
  let done = false;
  const walk = (x: Json): Json => {
    if (done) return x;
    if (typeof x === "string") {
      if (x === from) {
        done = true;
        return to;
      }
      return x;
    }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, c]) => [k, walk(c)]));
    return x;
  };
  return walk(v);
}

// ── reading ───────────────────────────────────────────────────────────────

const t = schema.draftSamples;
const summaryColumns = {
  id: t.id,
  taskId: t.taskId,
  round: t.round,
  model: t.model,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  redactions: t.redactions,
  language: schema.tasks.language,
  taskRound: schema.tasks.round,
  editRatio: schema.tasks.editRatio,
};

type Position = { createdAt: string; id: string; newer: boolean };

function encodeCursor(p: Position): string {
  return btoa(`${p.newer ? "n" : "o"}|${p.createdAt}|${p.id}`)
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function decodeCursor(cursor: string): Position {
  let text = "";
  try {
    text = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    // refused below
  }
  const m = /^([no])\|([0-9T:.Z-]{20,30})\|(s_[0-9a-f]{32})$/.exec(text);
  if (!m)
    throw new HttpError(400, "invalid query", { fields: [{ path: "cursor", message: "cursor must be the nextCursor or prevCursor of a previous page" }] });
  return { newer: m[1] === "n", createdAt: m[2]!, id: m[3]! };
}

/** One account's samples, newest first, a page at a time (`cursor`: a previous page's nextCursor or prevCursor). */
export async function samplePage(env: Env, accountId: string, opts: { limit: number; cursor?: string }): Promise<SamplePage> {
  const at = opts.cursor ? decodeCursor(opts.cursor) : null;
  const db = getDb(env);
  const rows = await db
    .select(summaryColumns)
    .from(t)
    .leftJoin(schema.tasks, eq(schema.tasks.id, t.taskId))
    .where(
      and(
        eq(t.accountId, accountId),
        gt(t.expiresAt, new Date().toISOString()),
        at
          ? at.newer
            ? or(gt(t.createdAt, at.createdAt), and(eq(t.createdAt, at.createdAt), gt(t.id, at.id)))
            : or(lt(t.createdAt, at.createdAt), and(eq(t.createdAt, at.createdAt), lt(t.id, at.id)))
          : undefined,
      ),
    )
    .orderBy(...(at?.newer ? [asc(t.createdAt), asc(t.id)] : [desc(t.createdAt), desc(t.id)]))
    .limit(opts.limit + 1);
  const more = rows.length > opts.limit;
  const shown = more ? rows.slice(0, opts.limit) : rows;
  if (at?.newer) shown.reverse();
  const first = shown[0];
  const last = shown.at(-1);
  // Going older there is always a newer page to go back to; going newer, there is an older one.
  const hasOlder = at?.newer ? true : more;
  const hasNewer = at ? (at.newer ? more : true) : false;
  const decisions = await decisionsFor(env, accountId, shown);
  return {
    samples: shown.map((r) => ({ ...summaryOf(r), decision: decisions.get(`${r.taskId}:${r.round}`) ?? null })),
    nextCursor: hasOlder && last ? encodeCursor({ newer: false, createdAt: last.createdAt, id: last.id }) : null,
    prevCursor: hasNewer && first ? encodeCursor({ newer: true, createdAt: first.createdAt, id: first.id }) : null,
  };
}

/** One sample of the account with its input and output, or null. */
export async function sampleById(env: Env, accountId: string, id: string): Promise<Sample | null> {
  const [row] = await getDb(env)
    .select({ ...summaryColumns, input: t.input, output: t.output })
    .from(t)
    .leftJoin(schema.tasks, eq(schema.tasks.id, t.taskId))
    .where(and(eq(t.accountId, accountId), eq(t.id, id), gt(t.expiresAt, new Date().toISOString())))
    .limit(1);
  if (!row) return null;
  const decisions = await decisionsFor(env, accountId, [row]);
  return { ...summaryOf(row), input: row.input as Json, output: row.output as Json, decision: decisions.get(`${row.taskId}:${row.round}`) ?? null };
}

type SummaryRow = {
  id: string;
  taskId: string;
  round: number;
  model: string;
  createdAt: string;
  expiresAt: string;
  redactions: unknown;
  language: string | null;
};

function summaryOf(r: SummaryRow): Omit<SampleSummary, "decision"> {
  return {
    id: r.id,
    taskId: r.taskId,
    round: r.round,
    model: r.model,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    language: r.language,
    redactions: (r.redactions ?? {}) as RedactionCounts,
  };
}

/**
 * The decisions on the rows' rounds, by "task:round": a person's (decision.*,
 * its round in `before`) or the account's auto-send (decision.auto_approve,
 * its round in `after`). One query for a page of samples.
 */
async function decisionsFor(
  env: Env,
  accountId: string,
  rows: { taskId: string; round: number; taskRound: number | null; editRatio: number | null }[],
): Promise<Map<string, SampleDecision>> {
  const byTask = new Map(rows.map((r) => [r.taskId, r]));
  const found = new Map<string, SampleDecision>();
  const taskIds = [...byTask.keys()];
  const a = schema.auditEvents;
  const events = [];
  for (let i = 0; i < taskIds.length; i += TASKS_PER_QUERY) {
    events.push(
      ...(await getDb(env)
        .select({ taskId: a.taskId, action: a.action, actor: a.actor, before: a.before, after: a.after })
        .from(a)
        .where(and(inArray(a.taskId, taskIds.slice(i, i + TASKS_PER_QUERY)), eq(a.accountId, accountId), like(a.action, "decision.%")))
        .orderBy(asc(a.id))),
    );
  }
  for (const e of events) {
    const before = (e.before ?? {}) as { round?: number };
    const after = (e.after ?? {}) as { round?: number; body?: string | null; note?: string | null };
    const round = before.round ?? after.round;
    if (!e.taskId || typeof round !== "number") continue;
    const action = e.action.slice("decision.".length);
    const edited = action === "edit";
    const task = byTask.get(e.taskId);
    const body = edited && typeof after.body === "string" ? redactText(after.body).text : undefined;
    const note = typeof after.note === "string" && after.note ? redactText(after.note).text : undefined;
    found.set(`${e.taskId}:${round}`, {
      action,
      by: e.actor,
      ...(body !== undefined ? { body } : {}),
      ...(note !== undefined ? { note } : {}),
      edited,
      // The task keeps the edit size of the reply that went out: the last round's.
      editRatioPermille: edited && task?.taskRound === round ? (task.editRatio ?? null) : null,
    });
  }
  return found;
}

// ── the evaluation set ────────────────────────────────────────────────────

/** One account's samples as JSON Lines, oldest first, read a page at a time: one evaluation case per line. */
export function exportSamples(env: Env, accountId: string): ReadableStream<Uint8Array> {
  const db = getDb(env);
  const encoder = new TextEncoder();
  let after: { createdAt: string; id: string } | null = null;
  // Expired samples are gone as far as readers go, even before the daily purge deletes them.
  const startedAt = new Date().toISOString();
  return new ReadableStream({
    async pull(controller) {
      const rows = await db
        .select({ ...summaryColumns, input: t.input, output: t.output })
        .from(t)
        .leftJoin(schema.tasks, eq(schema.tasks.id, t.taskId))
        .where(
          and(
            eq(t.accountId, accountId),
            gt(t.expiresAt, startedAt),
            after ? or(gt(t.createdAt, after.createdAt), and(eq(t.createdAt, after.createdAt), gt(t.id, after.id))) : undefined,
          ),
        )
        .orderBy(asc(t.createdAt), asc(t.id))
        .limit(EXPORT_PAGE);
      if (!rows.length) {
        controller.close();
        return;
      }
      const last = rows.at(-1)!;
      after = { createdAt: last.createdAt, id: last.id };
      const decisions = await decisionsFor(env, accountId, rows);
      const lines = rows.map((r) => {
        const d = decisions.get(`${r.taskId}:${r.round}`) ?? null;
        const decision = d
          ? { action: d.action, by: d.by, edited: d.edited, ...(d.note !== undefined ? { note: d.note } : {}), edit_ratio_permille: d.editRatioPermille }
          : null;
        const line = {
          id: r.id,
          task_id: r.taskId,
          round: r.round,
          created_at: r.createdAt,
          model: r.model,
          language: r.language,
          input: r.input,
          output: r.output,
          decision,
          final_text: finalText(d, r.output as Json),
          redactions: r.redactions,
        };
        return `${JSON.stringify(line)}\n`;
      });
      controller.enqueue(encoder.encode(lines.join("")));
    },
  });
}

/**
 * The reply that went out for the round, the reference an evaluation compares
 * a new draft with: the edit, or the draft itself when it was accepted (by a
 * person or the auto-send policy); null when nothing went out for it.
 */
function finalText(d: SampleDecision | null, output: Json): string | null {
  if (!d) return null;
  if (d.action === "edit") return d.body ?? null;
  if (d.action !== "approve" && d.action !== "auto_approve") return null;
  const draft = output && typeof output === "object" && !Array.isArray(output) ? output.draft : null;
  return typeof draft === "string" ? draft : null;
}

// ── expiry ────────────────────────────────────────────────────────────────

/** Deletes the account's samples past their expiry, in bounded batches; returns how many went. */
export async function deleteExpiredSamples(env: Env, accountId: string, now = new Date()): Promise<number> {
  return deleteInBatches(
    env.DB,
    "delete from draft_samples where id in (select id from draft_samples where expires_at < ?1 and account_id = ?2 limit ?3)",
    [now.toISOString(), accountId],
    PURGE_BATCH,
    PURGE_MAX_BATCHES,
  );
}
