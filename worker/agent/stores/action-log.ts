// The account agent's own memory of what it did lately: the last 50 actions,
// for the people operating it. The full history is the D1 audit trail.
import type { Json } from "../../domain/types";
import { nowIso, type Sql } from "../sql";

const MAX_ACTIONS = 50;

export interface AgentAction {
  taskId: string | null;
  action: string;
  detail: Json;
  at: string;
}

export function createActionLogTable(sql: Sql) {
  sql`create table if not exists agent_actions (
    id integer primary key autoincrement, task_id text, action text not null, detail text, at text not null)`;
}

export class ActionLog {
  constructor(private readonly sql: Sql) {}

  record(taskId: string | null, action: string, detail: unknown) {
    this.sql`insert into agent_actions (task_id, action, detail, at) values (${taskId}, ${action}, ${JSON.stringify(detail)}, ${nowIso()})`;
    this.sql`delete from agent_actions where id <= (select max(id) from agent_actions) - ${MAX_ACTIONS}`;
  }

  /** Newest first. */
  recent(): AgentAction[] {
    return this.sql<{ task_id: string | null; action: string; detail: string | null; at: string }>`
      select task_id, action, detail, at from agent_actions order by id desc limit ${MAX_ACTIONS}`.map((r) => ({
      taskId: r.task_id,
      action: r.action,
      detail: r.detail ? (JSON.parse(r.detail) as Json) : null,
      at: r.at,
    }));
  }
}
