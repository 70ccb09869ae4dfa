// The audit trail of one account as JSON Lines or CSV, newest last, streamed
// in pages so a long history never sits in memory at once.
import { and, asc, eq, gt } from "drizzle-orm";
import { getDb, schema } from "../db/client";

const PAGE = 500;
const COLUMNS = ["id", "created_at", "actor", "action", "task_id", "artifact", "before", "after"] as const;

type AuditRow = typeof schema.auditEvents.$inferSelect;

function flat(r: AuditRow): Record<(typeof COLUMNS)[number], string | number | null> {
  return {
    id: r.id,
    created_at: r.createdAt,
    actor: r.actor,
    action: r.action,
    task_id: r.taskId,
    artifact: r.artifact,
    before: r.before === null ? null : JSON.stringify(r.before),
    after: r.after === null ? null : JSON.stringify(r.after),
  };
}

/** RFC 4180 field; a leading =,+,-,@ is prefixed so spreadsheets do not run it as a formula. */
function csvField(v: string | number | null): string {
  if (v === null) return "";
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function exportAudit(env: Env, accountId: string, format: "jsonl" | "csv"): ReadableStream<Uint8Array> {
  const db = getDb(env);
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (format === "csv" && !headerSent) {
        controller.enqueue(encoder.encode(`${COLUMNS.join(",")}\r\n`));
        headerSent = true;
      }
      const rows = await db
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.accountId, accountId), gt(schema.auditEvents.id, after)))
        .orderBy(asc(schema.auditEvents.id))
        .limit(PAGE);
      if (!rows.length) {
        controller.close();
        return;
      }
      after = rows.at(-1)!.id;
      const text = rows
        .map((r) => (format === "jsonl" ? `${JSON.stringify(flat(r))}\n` : `${COLUMNS.map((c) => csvField(flat(r)[c])).join(",")}\r\n`))
        .join("");
      controller.enqueue(encoder.encode(text));
    },
  });
}
