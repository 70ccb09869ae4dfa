import { index, type RouteConfig, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  // A one-time invitation link (worker/identity/members.ts).
  route("invite/:token", "routes/invite.tsx"),
  // Single sign-on (resource routes; worker/identity/sso.ts).
  route("auth/oidc/start", "routes/auth.oidc.start.ts"),
  route("auth/oidc/callback", "routes/auth.oidc.callback.ts"),
  route("auth/access", "routes/auth.access.ts"),
  // An MCP client asks to act as the signed-in person (worker/mcp/consent.ts).
  route("oauth/authorize", "routes/oauth.authorize.tsx"),
  // A person connects their own help-desk identity (resource routes; worker/delegation/connect.ts).
  route("accounts/:account/connections/:provider/start", "routes/connections.start.ts"),
  route("accounts/:account/connections/:provider/callback", "routes/connections.callback.ts"),
  // A hosted model's English gloss of a proposal, for its reviewer (resource route; worker/agent/gloss.ts).
  route("accounts/:account/queue/gloss", "routes/queue.gloss.ts"),
  route("accounts/:account", "routes/account.tsx", [
    index("routes/account-index.tsx"),
    route("queue", "routes/queue.tsx"),
    route("insights", "routes/insights.tsx"),
    route("samples", "routes/samples.tsx"),
    route("knowledge", "routes/knowledge.tsx"),
    route("connectors", "routes/connectors.tsx"),
    route("operations", "routes/operations.tsx"),
    route("tokens", "routes/tokens.tsx"),
    route("connections", "routes/connections.tsx"),
    route("members", "routes/members.tsx"),
  ]),
] satisfies RouteConfig;
