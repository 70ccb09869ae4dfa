// The consent step of the MCP clients' OAuth flow, behind the dashboard page
// app/routes/oauth.authorize.tsx (GET shows it, POST decides).
//
// GET: the provider validates the request (client, exact redirect URI, PKCE,
// resource); the person signs in first if they have not; then the page shows
// who is asking, where the tokens go, and the scopes their role in the chosen
// account allows. beginConsent() binds the form to this browser (a __Host-
// cookie and a one-time handle kept server-side for ten minutes).
// POST: approve → the grant is stored with the person, the account and the
// scopes they ticked (never more than their role allows), and the browser goes
// back to the client with a code; deny → back with access_denied.
import { AuthorizationError, type AuthRequest } from "@cloudflare/workers-oauth-provider";
import { auditIdentity } from "../audit/audit-trail";
import { HttpError } from "../domain/errors";
import { isMcpScope, type McpScope, mcpScopesForRole } from "../domain/mcp-scopes";
import type { Role, SessionUser } from "../domain/types";
import { returnToCookie } from "../identity/return-to";
import { actorOf, getSessionUser } from "../identity/session";
import { grantUserId, type McpGrantMetadata, type McpProps, oauthHelpers, originOfRequest } from "./oauth";

interface ConsentAccount {
  accountId: string;
  accountName: string;
  role: Role;
  /** What this person's role there lets them grant. */
  allowed: McpScope[];
}

/** @public Named in the consent page loader's inferred return type. */
export interface ConsentView {
  handle: string;
  clientId: string;
  /** Self-asserted at registration: shown as such. */
  clientName: string;
  redirectHost: string;
  redirectIsLoopback: boolean;
  /** Requested scopes we know, in our order; empty when the client asked for none. */
  requested: McpScope[];
  /** Requested scopes we do not offer (shown, never granted). */
  unknownRequested: string[];
  accounts: ConsentAccount[];
  person: { email: string; name: string };
}

export type ConsentOutcome = { kind: "page"; view: ConsentView; headers: Headers } | { kind: "redirect"; location: string; headers: Headers };

/** Internal header: the Worker adds this origin to the consent page's CSP form-action, then drops it. */
export const CONSENT_FORM_TARGET_HEADER = "x-consent-form-target";

function formTargetOf(redirectUri: string): string | null {
  try {
    const u = new URL(redirectUri);
    return u.protocol === "https:" || u.protocol === "http:" ? u.origin : null;
  } catch {
    return null;
  }
}

/** Client names come from dynamic registration: anyone chooses them. Printable, one line, 100 characters. */
function cleanClientName(name: string | undefined, fallback: string): string {
  const cleaned = (name ?? "")
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return cleaned || fallback.slice(0, 100);
}

function accountsOf(user: SessionUser): ConsentAccount[] {
  return user.memberships.map((m) => ({ accountId: m.accountId, accountName: m.accountName, role: m.role, allowed: mcpScopesForRole(m.role) }));
}

function redirectTo(location: string, headers: Headers = new Headers()): ConsentOutcome {
  headers.set("location", location);
  headers.set("cache-control", "no-store");
  return { kind: "redirect", location, headers };
}

/** Turns the provider's refusals into a redirect to the client (when that is safe) or a 400 for the page. */
function authorizationFailure(err: unknown): ConsentOutcome {
  if (err instanceof AuthorizationError) {
    if (err.redirectTo) return redirectTo(err.redirectTo);
    throw new HttpError(400, err.description || "invalid authorization request");
  }
  throw err;
}

/** GET /oauth/authorize */
export async function loadConsent(env: Env, request: Request): Promise<ConsentOutcome> {
  const url = new URL(request.url);
  const oauth = oauthHelpers(env, originOfRequest(request));
  let authRequest: AuthRequest;
  try {
    authRequest = await oauth.parseAuthRequest(request);
  } catch (err) {
    return authorizationFailure(err);
  }
  const user = await getSessionUser(env, request);
  if (!user) {
    // Sign in first, then come back here with the same request.
    return redirectTo("/login", new Headers({ "set-cookie": returnToCookie(request, `${url.pathname}${url.search}`) }));
  }
  const accounts = accountsOf(user);
  if (!accounts.length) throw new HttpError(403, "You are not a member of any account, so there is nothing to connect. Ask an admin to invite you.");
  const details = await oauth.describeConsent(authRequest);
  const consent = await oauth.beginConsent(authRequest);
  // The approval's redirect goes to the client: the page's CSP form-action must allow its origin.
  const target = formTargetOf(details.redirectUri);
  if (target) consent.headers.set(CONSENT_FORM_TARGET_HEADER, target);
  return {
    kind: "page",
    headers: consent.headers,
    view: {
      handle: consent.handle,
      clientId: details.clientId,
      clientName: cleanClientName(details.clientName, details.clientId),
      redirectHost: details.redirectHost,
      redirectIsLoopback: details.redirectIsLoopback,
      requested: details.scope.filter(isMcpScope),
      unknownRequested: details.scope.filter((s) => !isMcpScope(s)).slice(0, 20),
      accounts,
      person: { email: user.email, name: user.name },
    },
  };
}

/** POST /oauth/authorize: `handle`, `decision` (approve | deny), `account`, `scope` (repeated). */
export async function submitConsent(env: Env, request: Request, form: FormData): Promise<ConsentOutcome> {
  const user = await getSessionUser(env, request);
  if (!user) throw new HttpError(401, "Your session has ended: start connecting the app again.");
  const oauth = oauthHelpers(env, originOfRequest(request));
  const handle = String(form.get("handle") ?? "");
  try {
    if (form.get("decision") !== "approve") {
      const denied = await oauth.denyConsent(request, handle, { description: "The person declined to connect this app" });
      return redirectTo(denied.redirectTo, denied.headers);
    }
    const accountId = String(form.get("account") ?? "");
    const membership = user.memberships.find((m) => m.accountId === accountId);
    if (!membership) throw new HttpError(400, "Choose one of your accounts.");
    const allowed = mcpScopesForRole(membership.role);
    const scopes = [...new Set(form.getAll("scope").map(String))];
    const tooHigh = scopes.filter((s) => !isMcpScope(s) || !allowed.includes(s));
    if (tooHigh.length) throw new HttpError(403, `Your role in ${membership.accountName} (${membership.role}) cannot grant ${tooHigh.join(", ")}.`);
    if (!scopes.length) throw new HttpError(400, "Choose at least one permission, or deny.");
    const granted = scopes as McpScope[];

    const approved = await oauth.approveConsent(request, handle, { scope: granted });
    const client = await oauth.lookupClient(approved.request.clientId);
    const clientName = cleanClientName(client?.clientName, approved.request.clientId);
    const props: McpProps = {
      userId: user.id,
      email: user.email,
      accountId,
      role: membership.role,
      scopes: granted,
      clientName,
      clientId: approved.request.clientId,
    };
    const metadata: McpGrantMetadata = { accountId, clientName, email: user.email };
    const { redirectTo: location } = await oauth.completeAuthorization({
      request: approved.request,
      userId: grantUserId(user.id),
      metadata,
      scope: granted,
      props,
    });
    await auditIdentity(env, accountId, actorOf(user), "mcp.client_authorized", {
      after: { clientId: approved.request.clientId, client: clientName, scopes: granted, redirectUri: approved.request.redirectUri },
    });
    return redirectTo(location, approved.headers);
  } catch (err) {
    if (err instanceof AuthorizationError) {
      // The page expired, was used already, or was opened in another browser: never redirect then.
      throw new HttpError(400, `${err.description} Start connecting the app again.`);
    }
    throw err;
  }
}
