// Every MCP tool call, refused ones included, in the same two places as the
// account agent's own: the tool-invocation log (D1 tool_invocations, with the
// person as actor and the MCP client's name) and the audit trail (action
// `mcp.<tool>`, actor `user:<email> via mcp:<client>`).

import { auditInsert } from "../audit/audit-trail";
import { toolLogInserts } from "../audit/tool-log";
import { getDb } from "../db/client";
import type { Json } from "../domain/types";
import type { McpPrincipal } from "./principal";

const MAX_LOGGED_CHARS = 16 * 1024;

/** Large outputs (a whole queue) are logged as their size, not their text. */
function bounded(value: unknown): unknown {
  const text = JSON.stringify(value ?? null);
  return text.length <= MAX_LOGGED_CHARS ? (value ?? null) : { truncated: true, chars: text.length };
}

/** Long strings in an input (a reply body) are cut for the audit row; the invocation log keeps them. */
function brief(value: unknown): Json {
  if (typeof value === "string") return value.length > 300 ? `${value.slice(0, 300)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 20).map(brief);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 20)
        .map(([k, v]) => [k, brief(v)]),
    );
  return (value ?? null) as Json;
}

function mcpActor(p: McpPrincipal): string {
  return `user:${p.email} via mcp:${p.clientName}`;
}

export async function logMcpCall(
  env: Env,
  p: McpPrincipal,
  call: { tool: string; taskId: string | null; input: unknown; outcome: "ok" | "error" | "denied"; output: unknown; durationMs: number },
): Promise<void> {
  const db = getDb(env);
  const error = call.outcome === "ok" ? null : ((call.output as { error?: string } | null)?.error ?? null);
  const logged = toolLogInserts(db, [
    {
      accountId: p.accountId,
      taskId: call.taskId,
      tool: call.tool,
      input: bounded(call.input),
      outcome: call.outcome,
      output: bounded(call.output),
      durationMs: call.durationMs,
      actor: `user:${p.email}`,
      client: p.clientName,
    },
  ]);
  await db.batch([
    auditInsert(db, {
      accountId: p.accountId,
      taskId: call.taskId,
      actor: mcpActor(p),
      action: `mcp.${call.tool}`,
      after: { client: p.clientName, clientId: p.clientId, outcome: call.outcome, input: brief(call.input), ...(error ? { error } : {}) },
    }),
    ...logged,
  ]);
}
