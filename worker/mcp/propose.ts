// propose_reply: an MCP client proposes a reply to a ticket we have. It never
// sends. The reply becomes a task of its own, exactly like one a help desk's
// webhook starts: a ticket row on the same conversation (external id
// `<ticket id>:mcp:<key>`, like a follow-up message), a task, the normal
// triage Workflow, the account agent drafting exactly the proposed text, the
// review queue, a person's decision, and delivery to the same help desk.
import { accountAgent } from "../agent/stubs";
import { sha256Hex } from "../crypto/hashing";
import { getDb, schema } from "../db/client";
import { acceptTicket, taskIdFor } from "../intake/intake";
import { isSourceId } from "../integrations/types";
import { operatingState } from "../policy/operating-state";
import { type McpPrincipal, type TicketRow, ToolRefusal } from "./principal";

export interface ProposeResult {
  taskId: string;
  /** True when this person had already proposed exactly this reply to this ticket: the same task. */
  duplicate: boolean;
  /** The task's status right after intake: received, queued (in-flight cap) or held (kill switch). */
  status: string;
}

/** The vendor ids delivery needs, without the message id that would make intake take this for the original message. */
function refsOf(ticket: TicketRow): Record<string, string> {
  const { messageId: _messageId, ...refs } = ticket.refs ?? {};
  return refs;
}

export async function proposeReply(env: Env, p: McpPrincipal, ticket: TicketRow, body: string, confidence: number): Promise<ProposeResult> {
  if (!isSourceId(ticket.source)) throw new ToolRefusal(`ticket ${ticket.externalId} came from an unknown source and cannot be answered here`);
  const ops = await operatingState(env, p.accountId);
  if (ops.frozen) throw new ToolRefusal(`account "${p.accountId}" is frozen: it takes no new proposals`);
  const rate = await (await accountAgent(env, p.accountId)).consumeRate("tickets", ops.ticketsPerMinute);
  if (!rate.ok) throw new ToolRefusal(`too many new tasks in this account right now: retry in ${rate.retryAfterSeconds} seconds`);

  // The same person proposing the same text to the same ticket lands on the same task.
  const key = (await sha256Hex(`${p.userId}\u0000${ticket.id}\u0000${body}`)).slice(0, 16);
  const externalId = `${ticket.externalId}:mcp:${key}`;
  const taskId = await taskIdFor(p.accountId, ticket.source, externalId);
  // Stored before the Workflow can start: its drafting step reads it.
  await getDb(env)
    .insert(schema.proposedReplies)
    .values({
      taskId,
      accountId: p.accountId,
      inReplyTo: ticket.id,
      body,
      confidence: Math.round(confidence * 100),
      proposedBy: `user:${p.email}`,
      clientId: p.clientId,
      clientName: p.clientName,
    })
    .onConflictDoNothing();
  const accepted = await acceptTicket(env, {
    accountId: p.accountId,
    source: ticket.source,
    deliveryId: null,
    ops,
    actor: `user:${p.email} via mcp:${p.clientName}`,
    // A person asked for this one: the rollout percentage does not apply.
    rollout: false,
    inbound: {
      ticket: {
        id: externalId,
        subject: ticket.subject,
        body: ticket.body,
        requester: { email: ticket.requesterEmail, name: ticket.requesterName },
        priority: ticket.priority,
        tags: ticket.tags,
        created_at: new Date().toISOString(),
      },
      // Replies and notes go to the same help-desk conversation as the original ticket's.
      conversationId: ticket.conversationId ?? ticket.externalId,
      refs: refsOf(ticket),
    },
  });
  return { taskId: accepted.taskId, duplicate: accepted.duplicate, status: accepted.status };
}
