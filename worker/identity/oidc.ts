// OpenID Connect sign-in, the protocol part (no pages, no sessions): discovery,
// the authorization code flow with PKCE (S256), state and nonce, the token
// request with the client secret, and ID token validation (signature against
// the provider's JWKS, iss, aud, azp, exp, iat, nonce), all by `oauth4webapi`.
//
// Configured per deployment: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
// (a secret), optional OIDC_NAME (the button label). The browser's in-flight
// sign-in (state, nonce, PKCE verifier) lives in a short-lived HttpOnly cookie,
// sealed with AES-GCM (worker/crypto/secret-box.ts, key CONNECTOR_SECRETS_KEY), so
// the Worker keeps no server-side state between /auth/oidc/start and the callback.
import * as oauth from "oauth4webapi";
import { openSecret, sealSecret } from "../crypto/secret-box";

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the sign-in button says after "Sign in with". */
  name: string;
}

/** The configuration, or null when OIDC sign-in is not set up in this deployment. */
export function oidcConfig(env: Env): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer: issuer.replace(/\/+$/, ""), clientId, clientSecret, name: env.OIDC_NAME?.trim() || "SSO" };
}

/** Why a sign-in is refused; `status` is the HTTP status of the page that says so. */
export class SignInError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 500 | 502,
    message: string,
  ) {
    super(message);
  }
}

export const TRANSACTION_COOKIE = "st_oidc";
const TRANSACTION_PATH = "/auth/oidc";
const TRANSACTION_TTL_SECONDS = 10 * 60;
const TRANSACTION_PURPOSE = "oidc-transaction";
const SCOPE = "openid email profile";

/** What the Worker must remember between sending the browser away and its return. */
export interface OidcTransaction {
  v: 1;
  state: string;
  nonce: string;
  codeVerifier: string;
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** Unix seconds. */
  createdAt: number;
}

// ── provider metadata ───────────────────────────────────────────────────────

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * oauth4webapi refuses plain http. Allowed only for a provider on this machine
 * (the local test provider); every other issuer must be https.
 */
function httpOptions(issuer: string): { [oauth.allowInsecureRequests]?: boolean } {
  const url = new URL(issuer);
  return url.protocol === "http:" && LOOPBACK.has(url.hostname) ? { [oauth.allowInsecureRequests]: true } : {};
}

const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const discovered = new Map<string, { as: oauth.AuthorizationServer; until: number }>();
/** Per issuer: oauth4webapi keeps the fetched JWKS here between requests in this isolate. */
const jwksCaches = new Map<string, oauth.JWKSCacheInput>();

/** The provider's metadata from `<issuer>/.well-known/openid-configuration`, cached for an hour. */
async function discover(config: OidcConfig): Promise<oauth.AuthorizationServer> {
  const cached = discovered.get(config.issuer);
  if (cached && cached.until > Date.now()) return cached.as;
  const issuerUrl = new URL(config.issuer);
  let as: oauth.AuthorizationServer;
  try {
    const response = await oauth.discoveryRequest(issuerUrl, {
      algorithm: "oidc",
      signal: AbortSignal.timeout(10_000),
      ...httpOptions(config.issuer),
    });
    as = await oauth.processDiscoveryResponse(issuerUrl, response);
  } catch (err) {
    throw new SignInError(502, `The identity provider at ${config.issuer} could not be reached or described itself wrongly (${describe(err)}).`);
  }
  if (!as.authorization_endpoint || !as.token_endpoint || !as.jwks_uri) {
    throw new SignInError(502, `The identity provider at ${config.issuer} lacks an authorization, token or JWKS endpoint.`);
  }
  discovered.set(config.issuer, { as, until: Date.now() + DISCOVERY_TTL_MS });
  return as;
}

function clientOf(config: OidcConfig): oauth.Client {
  // ID token algorithms: whatever the provider advertises (RS256 when it says nothing).
  return { client_id: config.clientId };
}

/** client_secret_basic when the provider offers it (or says nothing), client_secret_post otherwise. */
function clientAuthFor(as: oauth.AuthorizationServer, config: OidcConfig): oauth.ClientAuth {
  const methods = as.token_endpoint_auth_methods_supported;
  if (!methods || methods.includes("client_secret_basic")) return oauth.ClientSecretBasic(config.clientSecret);
  if (methods.includes("client_secret_post")) return oauth.ClientSecretPost(config.clientSecret);
  throw new SignInError(502, "The identity provider supports neither client_secret_basic nor client_secret_post.");
}

// ── the transaction cookie ──────────────────────────────────────────────────

function cookieKey(env: Env): string {
  const key = env.CONNECTOR_SECRETS_KEY;
  if (!key) throw new SignInError(500, "Single sign-on needs CONNECTOR_SECRETS_KEY (it seals the sign-in cookie); ask an operator to set it.");
  return key;
}

export function sealTransaction(env: Env, tx: OidcTransaction): Promise<string> {
  return sealSecret(cookieKey(env), JSON.stringify(tx), TRANSACTION_PURPOSE);
}

/** The transaction inside a sealed cookie value; throws when it was tampered with or sealed under another key. */
export async function openTransaction(env: Env, sealed: string): Promise<OidcTransaction> {
  const tx = JSON.parse(await openSecret(cookieKey(env), sealed, TRANSACTION_PURPOSE)) as OidcTransaction;
  if (tx.v !== 1) throw new Error("unknown transaction version");
  return tx;
}

/** HttpOnly, SameSite=Lax, only sent to /auth/oidc, Secure unless the app runs on this machine. */
function transactionCookieAttributes(request: Request, maxAge: number): string {
  const url = new URL(request.url);
  const secure = url.protocol === "https:" || !LOOPBACK.has(url.hostname) ? "; Secure" : "";
  return `Path=${TRANSACTION_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

export function clearTransactionCookie(request: Request): string {
  return `${TRANSACTION_COOKIE}=; ${transactionCookieAttributes(request, 0)}`;
}

function readCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=") || null;
  }
  return null;
}

// ── the flow ────────────────────────────────────────────────────────────────

function redirectUriFor(request: Request): string {
  return `${new URL(request.url).origin}/auth/oidc/callback`;
}

/** Step 1: where to send the browser, and the cookie that remembers this attempt. */
export async function beginSignIn(env: Env, config: OidcConfig, request: Request): Promise<{ location: string; cookie: string }> {
  const as = await discover(config);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const tx: OidcTransaction = {
    v: 1,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    codeVerifier,
    issuer: config.issuer,
    clientId: config.clientId,
    redirectUri: redirectUriFor(request),
    createdAt: Math.floor(Date.now() / 1000),
  };
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", tx.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", SCOPE);
  url.searchParams.set("state", tx.state);
  url.searchParams.set("nonce", tx.nonce);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  const cookie = `${TRANSACTION_COOKIE}=${await sealTransaction(env, tx)}; ${transactionCookieAttributes(request, TRANSACTION_TTL_SECONDS)}`;
  return { location: url.href, cookie };
}

/** Who the provider says signed in: from the validated ID token (and UserInfo when the token lacks the email). */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string;
  name?: string;
}

/**
 * Step 2, on the callback: checks the transaction cookie and the response's
 * state and issuer, redeems the code (once, with the PKCE verifier and the
 * client secret), validates the ID token, and returns the identity. Every
 * failure is a SignInError with a message fit for the page.
 */
export async function completeSignIn(env: Env, config: OidcConfig, request: Request): Promise<OidcIdentity> {
  const sealed = readCookie(request, TRANSACTION_COOKIE);
  if (!sealed) {
    throw new SignInError(
      400,
      "This sign-in has no matching start in this browser (it expired, cookies are blocked, or the link was opened elsewhere). Start again.",
    );
  }
  let tx: OidcTransaction;
  try {
    tx = await openTransaction(env, sealed);
  } catch {
    throw new SignInError(400, "The sign-in cookie could not be verified. Start again.");
  }
  if (Math.floor(Date.now() / 1000) - tx.createdAt > TRANSACTION_TTL_SECONDS) {
    throw new SignInError(400, "This sign-in took longer than 10 minutes. Start again.");
  }
  if (tx.issuer !== config.issuer || tx.clientId !== config.clientId || tx.redirectUri !== redirectUriFor(request)) {
    throw new SignInError(400, "This sign-in was started for another identity provider configuration. Start again.");
  }

  const as = await discover(config);
  const client = clientOf(config);
  const http = httpOptions(config.issuer);

  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, new URL(request.url), tx.state);
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) {
      const detail = err.error_description ? `${err.error}: ${err.error_description}` : err.error;
      throw new SignInError(400, `The identity provider did not sign you in (${detail}).`);
    }
    throw new SignInError(400, `The sign-in response does not belong to this sign-in (${describe(err)}). Start again.`);
  }

  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, clientAuthFor(as, config), params, tx.redirectUri, tx.codeVerifier, {
      signal: AbortSignal.timeout(10_000),
      ...http,
    });
  } catch (err) {
    if (err instanceof SignInError) throw err;
    throw new SignInError(502, `The identity provider's token endpoint could not be reached (${describe(err)}).`);
  }

  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: tx.nonce, requireIdToken: true });
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      const detail = err.error_description ? `${err.error}: ${err.error_description}` : err.error;
      throw new SignInError(400, `The identity provider refused the sign-in code (${detail}). Start again.`);
    }
    throw new SignInError(401, `The identity provider's ID token is not valid (${describe(err)}).`);
  }
  try {
    // The ID token's signature, against the provider's published keys.
    await oauth.validateApplicationLevelSignature(as, response, { [oauth.jwksCache]: jwksCacheFor(config.issuer), ...http });
  } catch (err) {
    throw new SignInError(401, `The ID token's signature does not verify against the identity provider's keys (${describe(err)}).`);
  }

  const claims = oauth.getValidatedIdTokenClaims(result)!;
  let email = typeof claims.email === "string" ? claims.email : undefined;
  let emailVerified = claims.email_verified;
  let name = typeof claims.name === "string" ? claims.name : undefined;
  if (!email && as.userinfo_endpoint) {
    // Many providers put scope claims only in UserInfo; its `sub` must match the ID token's.
    try {
      const userinfo = await oauth.processUserInfoResponse(
        as,
        client,
        claims.sub,
        await oauth.userInfoRequest(as, client, result.access_token, { signal: AbortSignal.timeout(10_000), ...http }),
      );
      email = userinfo.email;
      emailVerified = userinfo.email_verified;
      name ??= userinfo.name;
    } catch (err) {
      throw new SignInError(401, `The identity provider's UserInfo answer was not usable (${describe(err)}).`);
    }
  }
  if (!email) throw new SignInError(401, "The identity provider did not share an email address; it must release the `email` claim to this app.");
  if (emailVerified === false) throw new SignInError(401, `The identity provider says ${email} is not verified; verify it there first.`);
  return { issuer: as.issuer, subject: claims.sub, email, name };
}

function jwksCacheFor(issuer: string): oauth.JWKSCacheInput {
  let cache = jwksCaches.get(issuer);
  if (!cache) {
    cache = {};
    jwksCaches.set(issuer, cache);
  }
  return cache;
}

function describe(err: unknown): string {
  if (err instanceof oauth.OperationProcessingError || err instanceof oauth.UnsupportedOperationError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
