// A stand-in for a Cloudflare Access team domain, for the workerd tests (Node side).
//   GET  /cdn-cgi/access/certs   the team's public keys (JWKS), like <team>.cloudflareaccess.com
//   POST /_sign                  test-only: a signed `Cf-Access-Jwt-Assertion` for given claims
//        { claims, expiresIn?: seconds (default 300; negative = already expired), key?: "team" | "other" }
//        → { token }. `iss` defaults to this server's URL; "other" signs with a key that is
//        not in the JWKS (same kid), like a forged assertion.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export interface FakeAccess {
  /** The team domain: ACCESS_TEAM_DOMAIN. */
  url: string;
  stop(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFakeAccess(port = 0): Promise<FakeAccess> {
  const kid = "fake-access-key-1";
  const team = await generateKeyPair("RS256", { extractable: true });
  const other = await generateKeyPair("RS256");
  const jwks = { keys: [{ ...(await exportJWK(team.publicKey)), kid, alg: "RS256", use: "sig" }] };
  let url = "";

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (req.method === "GET" && path === "/cdn-cgi/access/certs") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
      return;
    }
    if (req.method === "POST" && path === "/_sign") {
      readBody(req)
        .then(async (body) => {
          const {
            claims,
            expiresIn = 300,
            key = "team",
          } = JSON.parse(body) as {
            claims: Record<string, unknown>;
            expiresIn?: number;
            key?: "team" | "other";
          };
          const now = Math.floor(Date.now() / 1000);
          const token = await new SignJWT({ iss: url, iat: now, nbf: now - 5, exp: now + expiresIn, type: "app", ...claims })
            .setProtectedHeader({ alg: "RS256", kid })
            .sign(key === "other" ? other.privateKey : team.privateKey);
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token }));
        })
        .catch((err: unknown) => res.writeHead(400).end(String(err)));
      return;
    }
    res.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  server.unref(); // like the other fakes: never keeps the test runner alive
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
