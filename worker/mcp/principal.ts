// Who an MCP request acts as, and the lookups every tool shares: always inside
// the one account the person connected the client to.
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import type { McpScope } from "../domain/mcp-scopes";
import type { Role } from "../domain/types";

/** The person an MCP client acts as, checked again on every request. */
export interface McpPrincipal {
  userId: string;
  email: string;
  accountId: string;
  accountName: string;
  /** Their role in the account now (not at consent). */
  role: Role;
  /** Granted at consent and still allowed by their role now. */
  scopes: McpScope[];
  clientId: string;
  clientName: string;
}

export type TicketRow = typeof schema.tickets.$inferSelect;

/** An expected refusal (not in this account, frozen, …): the tool answers with an error, nothing else happens. */
export class ToolRefusal extends Error {}

const TASK_ID = /^t_[0-9a-f]{32}$/;

/**
 * A ticket of the principal's account, by our task id (`t_…`) or the help
 * desk's ticket id. Anything else, another account's tickets included, is
 * "no such ticket here": the answer says nothing about whether it exists elsewhere.
 */
export async function ticketInAccount(env: Env, accountId: string, ref: string): Promise<TicketRow> {
  const db = getDb(env);
  const where = TASK_ID.test(ref)
    ? and(eq(schema.tickets.accountId, accountId), eq(schema.tickets.id, ref))
    : and(eq(schema.tickets.accountId, accountId), eq(schema.tickets.externalId, ref));
  const rows = await db.select().from(schema.tickets).where(where).limit(2);
  if (rows.length === 0) throw new ToolRefusal(`no ticket "${ref}" in this account`);
  if (rows.length > 1)
    throw new ToolRefusal(`ticket id "${ref}" is ambiguous (several help desks use it): pass the task id (t_…) from list_awaiting_review instead`);
  return rows[0]!;
}
