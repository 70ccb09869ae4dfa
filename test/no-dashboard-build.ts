// Stands in for React Router's server build inside the workerd unit tests,
// where no dashboard is built. It carries only the resource routes that have
// no UI (single sign-on; connecting a person's help desk), so those run through
// the real Worker entry and the real React Router request handler; any page
// request is a test bug (500). The MCP consent page (oauth/authorize) is here
// with its loader and action only: its data, not its markup, is what the
// workerd tests drive; the Playwright suite covers the page itself.
import * as authAccess from "../app/routes/auth.access";
import * as authOidcCallback from "../app/routes/auth.oidc.callback";
import * as authOidcStart from "../app/routes/auth.oidc.start";
import * as connectionsCallback from "../app/routes/connections.callback";
import * as connectionsStart from "../app/routes/connections.start";
import * as oauthAuthorize from "../app/routes/oauth.authorize";

const resourceRoute = (id: string, path: string, module: Record<string, unknown>) => ({
  id,
  parentId: undefined,
  path,
  index: undefined,
  caseSensitive: undefined,
  module,
});

export const routes = {
  "routes/auth.oidc.start": resourceRoute("routes/auth.oidc.start", "auth/oidc/start", authOidcStart),
  "routes/auth.oidc.callback": resourceRoute("routes/auth.oidc.callback", "auth/oidc/callback", authOidcCallback),
  "routes/auth.access": resourceRoute("routes/auth.access", "auth/access", authAccess),
  "routes/connections.start": resourceRoute("routes/connections.start", "accounts/:account/connections/:provider/start", connectionsStart),
  "routes/oauth.authorize": resourceRoute("routes/oauth.authorize", "oauth/authorize", { loader: oauthAuthorize.loader, action: oauthAuthorize.action }),
  "routes/connections.callback": resourceRoute("routes/connections.callback", "accounts/:account/connections/:provider/callback", connectionsCallback),
};
export const entry = { module: { default: () => new Response("dashboard not built in unit tests", { status: 500 }) } };
export const assets = { routes: {}, version: "unit-tests", entry: { module: "", imports: [] }, url: "" };
export const publicPath = "/";
export const assetsBuildDirectory = "";
export const future = {};
export const ssr = true;
export const isSpaMode = false;
export const prerender: string[] = [];
export const routeDiscovery = { mode: "initial" as const, manifestPath: "/__manifest" };
export default {};
