import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/home.tsx"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.tsx"),
  route("accounts/:account", "routes/account.tsx", [
    index("routes/account-index.tsx"),
    route("queue", "routes/queue.tsx"),
    route("insights", "routes/insights.tsx"),
    route("connectors", "routes/connectors.tsx"),
    route("operations", "routes/operations.tsx"),
  ]),
] satisfies RouteConfig;
