// Scopes of MCP clients (OAuth grants through worker/mcp/oauth.ts) and the tools
// each one opens. No runtime imports: the consent page's browser bundle uses it.
//
// Deliberately absent: a scope to decide on proposals (approve, edit, reject,
// send back). No role can hand that to an outside agent; every reply an MCP
// client proposes waits for a person in the dashboard.
import type { Role } from "./types";

export const MCP_SCOPES = ["tasks:read", "tickets:read", "drafts:write", "replies:propose", "knowledge:read"] as const;
export type McpScope = (typeof MCP_SCOPES)[number];

export const MCP_TOOLS = [
  "list_awaiting_review",
  "get_task_status",
  "read_ticket",
  "lookup_entitlement",
  "summarize_context",
  "draft_reply",
  "file_handoff",
  "propose_reply",
  "search_knowledge",
] as const;
export type McpToolName = (typeof MCP_TOOLS)[number];

/** Which scope each tool needs. */
export const TOOL_SCOPE: Record<McpToolName, McpScope> = {
  list_awaiting_review: "tasks:read",
  get_task_status: "tasks:read",
  read_ticket: "tickets:read",
  lookup_entitlement: "tickets:read",
  summarize_context: "tickets:read",
  draft_reply: "drafts:write",
  file_handoff: "drafts:write",
  propose_reply: "replies:propose",
  search_knowledge: "knowledge:read",
};

/** What each scope permits, shown on the consent page, and the least role that may grant it. */
export const MCP_SCOPE_INFO: Record<McpScope, { label: string; detail: string; minRole: Role }> = {
  "tasks:read": {
    label: "See the review queue and task status",
    detail: "Lists the proposals waiting for a person and reads the status of any task in the account.",
    minRole: "agent",
  },
  "tickets:read": {
    label: "Read tickets and customer context",
    detail: "Reads a ticket, looks up the requester's plan and SLA, and summarizes the ticket with the requester's earlier tickets.",
    minRole: "agent",
  },
  "drafts:write": {
    label: "Draft replies and file internal handoffs",
    detail: "Composes a draft reply (nothing is saved or sent) and files internal handoff notes to a team queue; customers never see those.",
    minRole: "agent",
  },
  "replies:propose": {
    label: "Propose replies for a person to approve",
    detail: "Puts a reply into the review queue. It is sent only after someone approves it in the dashboard; nothing goes out directly.",
    minRole: "agent",
  },
  "knowledge:read": {
    label: "Search the team's knowledge base",
    detail:
      "Searches the account's help-center articles and saved replies and reads the best matches (title, link, a snippet and how well each covers the question).",
    minRole: "agent",
  },
};

const RANK: Record<Role, number> = { agent: 1, lead: 2, admin: 3 };

/** Scopes a person with this role may grant an MCP client. */
export function mcpScopesForRole(role: Role): McpScope[] {
  return MCP_SCOPES.filter((s) => RANK[role] >= RANK[MCP_SCOPE_INFO[s].minRole]);
}

export function isMcpScope(value: string): value is McpScope {
  return (MCP_SCOPES as readonly string[]).includes(value);
}

export function isMcpTool(value: string): value is McpToolName {
  return (MCP_TOOLS as readonly string[]).includes(value);
}

/** Tools a set of scopes opens, in the order above. */
export function toolsForScopes(scopes: readonly string[]): McpToolName[] {
  return MCP_TOOLS.filter((t) => scopes.includes(TOOL_SCOPE[t]));
}
