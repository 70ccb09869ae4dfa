// Writes the triage reading (category, language, urgency, sentiment, intent as
// tags; the priority) back onto the ticket in its help desk, where the
// connector has write-back switched on. The Workflow runs it once per task
// after the first draft round, as its own retried step; a failure never fails
// the ticket: it is recorded and audited, and drafting goes on.
import { accountRouting, summarizeTicket } from "../agent/context";
import type { ContextSummary } from "../agent/tools";
import { auditInsert } from "../audit/audit-trail";
import { getDb } from "../db/client";
import { markTriageWriteBackFailed, ticketOf, writeTriageBack } from "../delivery/deliver";
import type { TriageFields } from "../integrations/types";

/** Below this confidence a reading (urgency, sentiment, intent) is not worth a tag on someone else's ticket. */
const TAG_CONFIDENCE = 0.5;

/** A tag every vendor takes: lowercase letters, digits and dashes. */
function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

/**
 * The reading as help-desk fields: `triage-<category>` always, `lang-<code>`
 * when the language was detected (not assumed), and `urgency-`, `sentiment-`,
 * `intent-<label>` when the classifier is reasonably sure.
 */
export function triageFieldsOf(
  summary: Pick<ContextSummary, "category" | "language" | "languageDetected" | "priority" | "urgency" | "sentiment" | "intent">,
): TriageFields {
  const tags = [`triage-${slug(summary.category)}`];
  if (summary.languageDetected) tags.push(`lang-${slug(summary.language)}`);
  if (summary.urgency.confidence >= TAG_CONFIDENCE) tags.push(`urgency-${slug(summary.urgency.label)}`);
  if (summary.sentiment.confidence >= TAG_CONFIDENCE) tags.push(`sentiment-${slug(summary.sentiment.label)}`);
  if (summary.intent.confidence >= TAG_CONFIDENCE) tags.push(`intent-${slug(summary.intent.label)}`);
  return { tags: tags.filter((t) => !t.endsWith("-")), priority: summary.priority, category: summary.category, language: summary.language };
}

/** What the step returns (stored by the engine: small and plain). */
export type WriteBackOutcome = { status: "skipped"; reason: string } | { status: "written"; artifact: string; repeated: boolean };

const auditKey = (taskId: string) => `triage-write-back:${taskId}`;

/** Reads the ticket and writes the reading back (recorded before the call); audited once when written. */
export async function writeBackTriage(env: Env, accountId: string, taskId: string): Promise<WriteBackOutcome> {
  const ticket = await ticketOf(env, taskId);
  const read = async () =>
    triageFieldsOf(
      await summarizeTicket(
        env,
        accountId,
        { id: ticket.id, subject: ticket.subject, body: ticket.body, priority: ticket.priority, requesterEmail: ticket.requesterEmail },
        await accountRouting(env, accountId),
      ),
    );
  const result = await writeTriageBack(env, ticket, read);
  if (result.status === "skipped") return result;
  if (result.written) {
    await auditInsert(getDb(env), {
      accountId,
      taskId,
      actor: "workflow",
      action: "triage.written_back",
      before: null,
      after: { source: ticket.source, fields: result.fields, answer: { ...result.written } },
      artifact: result.artifact,
      dedupeKey: auditKey(taskId),
    });
  }
  return { status: "written", artifact: result.artifact, repeated: result.repeated };
}

/** After the step gave up: the call is recorded as failed and audited; the ticket carries on. */
export async function recordWriteBackFailure(env: Env, accountId: string, taskId: string, failure: string): Promise<void> {
  // The engine hands a step's last error back as "<Name>: <message>": keep the vendor's message.
  const error = failure.replace(/^(?:[A-Za-z]*Error: )+/, "");
  const ticket = await ticketOf(env, taskId);
  if (!(await markTriageWriteBackFailed(env, ticket, error))) return;
  await auditInsert(getDb(env), {
    accountId,
    taskId,
    actor: "workflow",
    action: "triage.write_back_failed",
    before: null,
    after: { source: ticket.source, error },
    artifact: `${ticket.source}/${ticket.conversationId ?? ticket.externalId}`,
    dedupeKey: auditKey(taskId),
  });
}
