// Which provider scopes each agent tool needs, and whether a grant covers them.
// One map for the whole app: the send path checks the approving person's
// delegated grant against it before a reply goes out under their name.
//
// Drafting (webhook-initiated) runs as the account's integration with the
// shared connector credentials: there is no person then. Only what is done on
// a person's approval (today: send_reply) uses that person's delegated token.

import type { DelegationProviderId } from "../registry";

export type ToolName = "read_ticket" | "lookup_entitlement" | "summarize_context" | "file_handoff" | "draft_reply" | "send_reply";

/**
 * Per tool, per provider: the scopes the call needs. A tool missing here, or a
 * provider missing under it, touches nothing of that provider (e.g.
 * lookup_entitlement reads the built-in billing tables in D1).
 */
const TOOL_SCOPES: Record<ToolName, Partial<Record<DelegationProviderId, readonly string[]>>> = {
  read_ticket: { zendesk: ["tickets:read"] },
  summarize_context: { zendesk: ["tickets:read"] },
  lookup_entitlement: {},
  draft_reply: {},
  file_handoff: { zendesk: ["tickets:write"] },
  send_reply: { zendesk: ["tickets:write"] },
};

export function scopesFor(tool: ToolName, provider: DelegationProviderId): readonly string[] {
  return TOOL_SCOPES[tool][provider] ?? [];
}

/** A space-separated scope string (RFC 6749 §3.3) as a sorted, de-duplicated list. */
export function parseScopes(scope: string | null | undefined): string[] {
  return [...new Set((scope ?? "").split(/\s+/).filter(Boolean))].sort();
}

/**
 * Whether `granted` covers `required`. Zendesk's broad scopes count: `read`
 * covers every `<resource>:read`, `write` every `<resource>:write`.
 */
function coversScope(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  const action = required.split(":")[1];
  return action !== undefined && granted.includes(action);
}

export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((s) => !coversScope(granted, s));
}
