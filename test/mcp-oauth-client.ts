// An MCP client's OAuth side for the tests, in memory: what Claude Desktop or
// the MCP Inspector keep on disk. The official SDK (@modelcontextprotocol/sdk)
// drives discovery, dynamic registration, PKCE and the token exchange through
// it; the test plays the person's browser (the consent page) in between.
// Used by worker/mcp/mcp.test.ts (in workerd) and e2e/mcp.spec.ts (in Node).
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";

export class MemoryOAuthClient implements OAuthClientProvider {
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";
  /** Where the SDK sent the person's browser last (the authorization URL with PKCE). */
  authorizationUrl: URL | null = null;

  readonly clientName: string;
  readonly callbackUrl: string;
  private readonly scope: string | undefined;

  // Plain fields, no parameter properties: Node runs this file by stripping types only.
  constructor(clientName: string, callbackUrl: string, scope?: string) {
    this.clientName = clientName;
    this.callbackUrl = callbackUrl;
    this.scope = scope;
  }

  get redirectUrl(): string {
    return this.callbackUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.clientName,
      redirect_uris: [this.callbackUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      ...(this.scope ? { scope: this.scope } : {}),
    };
  }

  state(): string {
    return crypto.randomUUID();
  }

  clientInformation() {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }

  codeVerifier() {
    return this.verifier;
  }

  /** The registered client id (after dynamic registration). */
  get clientId(): string | undefined {
    return this.info?.client_id;
  }
}
