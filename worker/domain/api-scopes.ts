// Scopes of personal API tokens. No runtime imports: the dashboard's browser
// bundle uses this list too.
import type { Role } from "./types";

export const API_SCOPES = ["tasks:read", "tasks:decide", "figures:read", "audit:export", "knowledge:read", "knowledge:write", "samples:read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope allows, and the least role that can use it (the role is checked again on every request). */
export const SCOPE_INFO: Record<ApiScope, { label: string; minRole: Role; routes: string }> = {
  "tasks:read": { label: "Read tasks and open proposals", minRole: "agent", routes: "GET /tasks, GET /proposals" },
  "tasks:decide": { label: "Approve, edit, reject or send back proposals", minRole: "agent", routes: "POST /tasks/:task/decision" },
  "figures:read": {
    label: "Read the daily figures, triage insights and tail latency",
    minRole: "lead",
    routes: "GET /figures, GET /insights/triage, GET /insights/latency",
  },
  "audit:export": { label: "Download the audit trail", minRole: "lead", routes: "GET /audit.jsonl, GET /audit.csv" },
  "knowledge:read": {
    label: "Search and read the knowledge base",
    minRole: "agent",
    routes: "GET /knowledge/search, GET /knowledge/articles, GET /knowledge/articles/:id, GET /knowledge/syncs",
  },
  "knowledge:write": {
    label: "Add and delete knowledge articles, sync sources",
    minRole: "admin",
    routes: "POST /knowledge/articles, DELETE /knowledge/articles/:id, POST /knowledge/sync",
  },
  "samples:read": {
    label: "Read and export samples of drafting runs (redacted)",
    minRole: "lead",
    routes: "GET /samples, GET /samples/:id, GET /samples/export",
  },
};

export const TOKEN_DAYS = { min: 1, max: 365, default: 30 } as const;
