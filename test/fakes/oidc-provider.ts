// A real OpenID Provider on 127.0.0.1 for the tests and for trying SSO locally:
// panva's `oidc-provider` (certified OpenID Connect implementation) with one
// confidential client, PKCE required, scopes `openid email profile`, and a
// minimal sign-in page of its own (email + password form, no consent screen for
// the one first-party client) that works in a browser and by plain HTTP.
//
// Node only: vitest.config.ts starts one for the workerd tests, and
// scripts/oidc-dev.ts (`npm run oidc:dev`) keeps one up on port 5299 for
// `npm start` and the Playwright suite. Never deploy this: it signs in anyone
// who types a listed email (and the account's password, when one is set).
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export interface OidcTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OidcTestAccount {
  email: string;
  name: string;
  /** Defaults to true; `false` makes the ID token say the address is unverified. */
  emailVerified?: boolean;
  /** When set, the sign-in form checks it; otherwise any password is accepted. */
  password?: string;
  /** The `sub` claim; defaults to a stable opaque id derived from the email. */
  sub?: string;
}

export interface OidcProviderOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  clients: OidcTestClient[];
  accounts: OidcTestAccount[];
  /**
   * Test-only: `POST /_test/sign` signs arbitrary ID-token-shaped claims with
   * the provider's own key (`{ claims, key?: "provider" | "other" }` →
   * `{ token }`), so tests can hand the Worker tokens the provider would never
   * issue (another audience, expired). Off unless asked for.
   */
  testSigning?: boolean;
  /** Name shown on the sign-in page. */
  title?: string;
  /** Let the process exit while the server still listens (test runners); false for scripts/oidc-dev.ts. */
  unref?: boolean;
}

export interface OidcProviderHandle {
  /** e.g. http://127.0.0.1:5299 (no trailing slash): OIDC_ISSUER. */
  issuer: string;
  port: number;
  stop(): Promise<void>;
}

/** The client `npm start` (5173) and the Playwright suite (5199) use. */
export const LOCAL_CLIENT = {
  client_id: "support-triage-local",
  client_secret: "support-triage-local-secret",
} as const;

/** Redirect URIs of the local app on the given ports (127.0.0.1 and localhost). */
export function localRedirectUris(ports: number[]): string[] {
  return ports.flatMap((p) => [`http://127.0.0.1:${p}/auth/oidc/callback`, `http://localhost:${p}/auth/oidc/callback`]);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function opaqueSub(email: string): string {
  let h = 0x811c9dc5;
  for (const ch of email.toLowerCase()) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `usr_${h.toString(16).padStart(8, "0")}`;
}

function readBody(req: http.IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error("body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function loginPage(opts: { title: string; action: string; abort: string; clientId: string; error?: string; email?: string; accounts: OidcTestAccount[] }) {
  const hints = opts.accounts.map((a) => `<li><code>${escapeHtml(a.email)}</code>${a.password ? " (password set)" : ""}</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · ${escapeHtml(opts.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;background:#f4f4f5;display:flex;justify-content:center;padding:48px 16px;margin:0}
main{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:24px;width:100%;max-width:360px}
h1{font-size:16px;margin:0 0 4px}p{color:#52525b;margin:0 0 16px;font-size:12px}
label{display:block;font-size:12px;font-weight:600;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:6px 8px;border:1px solid #d4d4d8;border-radius:6px;font-size:14px}
button{margin-top:16px;width:100%;padding:7px;border:0;border-radius:6px;background:#4f46e5;color:#fff;font-weight:600;cursor:pointer}
.error{background:#fef2f2;border:1px solid #fecaca;color:#b91c1c;padding:6px 8px;border-radius:6px;font-size:12px;margin-top:12px}
ul{font-size:12px;color:#52525b;padding-left:18px}a{color:#4f46e5;font-size:12px}
</style></head><body><main>
<h1>${escapeHtml(opts.title)}</h1>
<p>Local test identity provider: sign in to <code>${escapeHtml(opts.clientId)}</code>.</p>
<form method="post" action="${escapeHtml(opts.action)}" autocomplete="off">
<label for="email">Email</label>
<input id="email" name="email" type="email" required autofocus value="${escapeHtml(opts.email ?? "")}">
<label for="password">Password</label>
<input id="password" name="password" type="password" placeholder="any password unless one is set">
${opts.error ? `<div class="error" role="alert">${escapeHtml(opts.error)}</div>` : ""}
<button type="submit">Sign in</button>
</form>
<p style="margin-top:16px">Accounts at this provider:</p><ul>${hints}</ul>
<a href="${escapeHtml(opts.abort)}">Cancel and go back</a>
</main></body></html>`;
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<OidcProviderHandle> {
  const title = options.title ?? "Local OpenID Provider";
  const accounts = new Map(options.accounts.map((a) => [a.email.toLowerCase(), { ...a, sub: a.sub ?? opaqueSub(a.email) }]));
  const bySub = new Map([...accounts.values()].map((a) => [a.sub, a]));

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingJwk: JWK = { ...(await exportJWK(privateKey)), kid: `test-${randomBytes(4).toString("hex")}`, alg: "RS256", use: "sig" };
  const otherKey = (await generateKeyPair("RS256")).privateKey;

  // The port must be known before the provider (its issuer is its URL).
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  if (options.unref) server.unref();
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    clients: options.clients.map((c) => ({
      ...c,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    })),
    jwks: { keys: [signingJwk as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    pkce: { required: () => true },
    scopes: ["openid", "email", "profile"],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, id) {
      const account = bySub.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name };
        },
      };
    },
    // The registered clients are first-party: grant what they ask for without a consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const session = oidc.session!;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId ?? session.grantIdFor(clientId);
      if (grantId) {
        const existing = await oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new oidc.provider.Grant({ clientId, accountId: session.accountId! });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      await grant.save();
      session.ensureClientContainer(clientId);
      session.grantIdFor(clientId, grant.jti);
      return grant;
    },
    ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
  };

  const provider = new Provider(issuer, configuration);
  const providerCallback = provider.callback();
  const INTERACTION = /^\/interaction\/([^/]+)(\/abort)?$/;

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, abort: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("interaction mismatch");
    if (abort) {
      await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "The user cancelled the sign-in" },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name !== "login") {
      res.writeHead(501, { "content-type": "text/plain" }).end(`prompt ${details.prompt.name} is not implemented here`);
      return;
    }
    const page = (status: number, error?: string, email?: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(
        loginPage({
          title,
          action: `/interaction/${uid}`,
          abort: `/interaction/${uid}/abort`,
          clientId: String(details.params.client_id),
          error,
          email,
          accounts: [...accounts.values()],
        }),
      );
    };
    if (req.method === "GET") return page(200);
    if (req.method !== "POST") return page(405, "method not allowed");
    const form = new URLSearchParams(await readBody(req));
    const email = (form.get("email") ?? "").trim();
    const account = accounts.get(email.toLowerCase());
    if (!account || (account.password !== undefined && account.password !== form.get("password"))) {
      return page(401, `No account ${email} with that password at this provider`, email);
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }

  async function testSign(req: http.IncomingMessage, res: http.ServerResponse) {
    const { claims, key } = JSON.parse(await readBody(req)) as { claims: Record<string, unknown>; key?: "provider" | "other" };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: signingJwk.kid, typ: "JWT" }).sign(key === "other" ? otherKey : privateKey);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
  }

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? "/", issuer).pathname;
    const match = INTERACTION.exec(path);
    const handle = match
      ? interaction(req, res, match[1]!, !!match[2])
      : options.testSigning && path === "/_test/sign" && req.method === "POST"
        ? testSign(req, res)
        : null;
    if (!handle) {
      providerCallback(req, res);
      return;
    }
    handle.catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(400, { "content-type": "text/plain" }).end(`sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
      } else res.end();
    });
  });

  return {
    issuer,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
