// The OAuth client side of delegated tokens, with `oauth4webapi` (as for OIDC
// sign-in in worker/identity/oidc.ts): the authorization URL with PKCE (S256), the
// code exchange, the refresh grant (the provider rotates the refresh token),
// and best-effort revocation at the provider. No storage here: the account
// agent keeps the tokens (worker/agent/stores/delegated-tokens.ts).
//
// The OAuth client is per account and connector: the admin enters its client
// id and secret on the Connectors page as the outbound credentials
// `oauth_client_id` / `oauth_client_secret` (sealed with the other credentials).
import * as oauth from "oauth4webapi";
import { outboundSettings } from "../connector-settings";
import { type DelegationProviderId, delegationProvider } from "../registry";
import type { DelegationProvider } from "../types";
import { parseScopes } from "./delegation-scopes";

export interface OAuthClientSettings {
  provider: DelegationProvider;
  /** The connector's API base URL, without a trailing slash. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** The account's OAuth client for a provider, or null when the connector is off or has no OAuth client. */
export async function oauthClientSettings(env: Env, accountId: string, providerId: DelegationProviderId): Promise<OAuthClientSettings | null> {
  const provider = delegationProvider(providerId);
  const settings = await outboundSettings(env, accountId, provider.source);
  const clientId = settings?.credentials.oauth_client_id?.trim();
  const clientSecret = settings?.credentials.oauth_client_secret;
  if (!settings || !clientId || !clientSecret) return null;
  return { provider, baseUrl: settings.baseUrl.replace(/\/+$/, ""), clientId, clientSecret };
}

/** What a successful code exchange or refresh gives; the tokens never leave the server. */
export interface DelegatedTokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** ISO time; null when the provider gave no lifetime. */
  expiresAt: string | null;
  /** Zendesk's `refresh_token_expires_in`, when sent. */
  refreshExpiresAt: string | null;
  /** What the provider says it granted; the asked scopes when it says nothing (RFC 6749 §5.1). */
  scopesGranted: string[];
}

/** The provider refused a code or a refresh token (4xx): the person must connect again. */
export class DelegationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DelegationRefused";
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const TIMEOUT_MS = 10_000;

/** oauth4webapi refuses plain http; allowed only for a provider on this machine (the local fake). */
function httpOptions(baseUrl: string): { [oauth.allowInsecureRequests]?: boolean } {
  const url = new URL(baseUrl);
  return url.protocol === "http:" && LOOPBACK.has(url.hostname) ? { [oauth.allowInsecureRequests]: true } : {};
}

function serverOf(c: OAuthClientSettings): oauth.AuthorizationServer {
  return {
    issuer: c.baseUrl,
    authorization_endpoint: `${c.baseUrl}${c.provider.authorizePath}`,
    token_endpoint: `${c.baseUrl}${c.provider.tokenPath}`,
  };
}

/** The authorization URL for one attempt; the caller keeps `state` and the verifier. */
export async function authorizationUrl(
  c: OAuthClientSettings,
  input: { redirectUri: string; state: string; codeVerifier: string; scopes: readonly string[] },
): Promise<string> {
  const url = new URL(serverOf(c).authorization_endpoint!);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", c.clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("scope", input.scopes.join(" "));
  url.searchParams.set("state", input.state);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(input.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url.href;
}

function tokenSetOf(result: oauth.TokenEndpointResponse, asked: readonly string[], previousRefresh: string | null): DelegatedTokenSet {
  const now = Date.now();
  const refreshIn = typeof result.refresh_token_expires_in === "number" ? result.refresh_token_expires_in : null;
  return {
    accessToken: result.access_token,
    // A provider that does not rotate keeps the old refresh token valid.
    refreshToken: result.refresh_token ?? previousRefresh,
    expiresAt: typeof result.expires_in === "number" ? new Date(now + result.expires_in * 1000).toISOString() : null,
    refreshExpiresAt: refreshIn !== null ? new Date(now + refreshIn * 1000).toISOString() : null,
    scopesGranted: result.scope !== undefined ? parseScopes(result.scope) : [...asked].sort(),
  };
}

function describe(err: unknown): string {
  if (err instanceof oauth.ResponseBodyError) return err.error_description ? `${err.error}: ${err.error_description}` : err.error;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** 4xx with an OAuth error body: the grant is no good. Anything else may pass (network, 5xx). */
function isRefusal(err: unknown): boolean {
  return err instanceof oauth.ResponseBodyError && err.status >= 400 && err.status < 500;
}

/**
 * The callback: checks `state` (and that the provider did not answer with an
 * error), then redeems the code once with the PKCE verifier and the client secret.
 */
export async function exchangeCode(
  c: OAuthClientSettings,
  callbackUrl: URL,
  input: { state: string; codeVerifier: string; redirectUri: string; scopes: readonly string[] },
): Promise<DelegatedTokenSet> {
  const as = serverOf(c);
  const client: oauth.Client = { client_id: c.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callbackUrl, input.state);
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError) {
      throw new DelegationRefused(`${c.provider.name} did not grant access (${err.error_description ? `${err.error}: ${err.error_description}` : err.error}).`);
    }
    throw new DelegationRefused(`The answer from ${c.provider.name} does not belong to this connection attempt (${describe(err)}). Start again.`);
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(c.clientSecret),
      params,
      input.redirectUri,
      input.codeVerifier,
      {
        additionalParameters: { scope: input.scopes.join(" ") },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...httpOptions(c.baseUrl),
      },
    );
    return tokenSetOf(await oauth.processAuthorizationCodeResponse(as, client, response), input.scopes, null);
  } catch (err) {
    if (isRefusal(err)) throw new DelegationRefused(`${c.provider.name} refused the authorization code (${describe(err)}). Start again.`);
    throw new Error(`${c.provider.name}'s token endpoint failed (${describe(err)})`);
  }
}

/**
 * The refresh grant. Providers that rotate (Zendesk does) answer with a new
 * refresh token and invalidate the one used; the caller must store the new pair.
 * Throws DelegationRefused when the refresh token is no longer accepted.
 */
export async function refreshTokens(c: OAuthClientSettings, refreshToken: string, scopesGranted: readonly string[]): Promise<DelegatedTokenSet> {
  const as = serverOf(c);
  const client: oauth.Client = { client_id: c.clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretPost(c.clientSecret), refreshToken, {
      additionalParameters: scopesGranted.length ? { scope: scopesGranted.join(" ") } : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      ...httpOptions(c.baseUrl),
    });
    return tokenSetOf(await oauth.processRefreshTokenResponse(as, client, response), scopesGranted, refreshToken);
  } catch (err) {
    if (isRefusal(err)) throw new DelegationRefused(`${c.provider.name} refused the refresh token (${describe(err)})`);
    throw new Error(`${c.provider.name}'s token endpoint failed during refresh (${describe(err)})`);
  }
}

/** Revokes an access token at the provider. Best effort: false when it could not be confirmed. */
export async function revokeAtProvider(c: OAuthClientSettings, accessToken: string): Promise<boolean> {
  try {
    const res = await fetch(`${c.baseUrl}${c.provider.revokePath}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  }
}
