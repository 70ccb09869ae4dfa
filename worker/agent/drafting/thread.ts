// One ticket's conversation with the model (AI SDK ModelMessages), one row
// per message, so a save appends instead of rewriting the whole thread.
import type { ModelMessage } from "ai";
import type { Sql } from "../sql";

export function createThreadTable(sql: Sql) {
  sql`create table if not exists thread_messages (seq integer primary key, message text not null)`;
}

export class Thread {
  constructor(private readonly sql: Sql) {}

  messages(): ModelMessage[] {
    return this.sql<{ message: string }>`select message from thread_messages order by seq`.map((r) => JSON.parse(r.message) as ModelMessage);
  }

  get length(): number {
    return this.sql<{ n: number }>`select count(*) as n from thread_messages`[0]!.n;
  }

  /** Stores the messages past what is already stored (the thread only ever grows). */
  save(messages: ModelMessage[]) {
    const stored = this.length;
    for (let i = stored; i < messages.length; i++) {
      this.sql`insert into thread_messages (seq, message) values (${i}, ${JSON.stringify(messages[i])})`;
    }
  }

  /** The approval request at the end of the thread that nobody has answered yet. */
  pendingApproval(): { approvalId: string; toolCallId: string } | null {
    const messages = this.messages();
    const answered = new Set<string>();
    for (const m of messages) {
      if (m.role === "tool") for (const c of m.content) if (c.type === "tool-approval-response") answered.add(c.approvalId);
    }
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.role !== "assistant" || typeof m.content === "string") continue;
      for (const c of m.content) {
        if (c.type === "tool-approval-request" && !answered.has(c.approvalId)) return { approvalId: c.approvalId, toolCallId: c.toolCallId };
      }
    }
    return null;
  }
}
