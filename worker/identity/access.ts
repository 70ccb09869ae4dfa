// Cloudflare Access in front of the app: Access signs each request it lets
// through with a JWT in `Cf-Access-Jwt-Assertion`. With ACCESS_TEAM_DOMAIN
// (https://<team>.cloudflareaccess.com) and ACCESS_AUD (the application's
// Audience tag) set, that assertion is verified here with `jose` against the
// team's public keys (<team domain>/cdn-cgi/access/certs): RS256, issuer = team
// domain, audience = ACCESS_AUD, not expired. Its email is then mapped to a user
// like an OIDC sign-in (worker/identity/identities.ts; issuer = team domain,
// subject = the assertion's `sub`).
//
// Today only GET /auth/access uses it (it creates a normal session). The lead
// plans to call `accessUser` from the session lookup, so a request through
// Access needs no separate sign-in; `accessUser` is cheap enough for that (keys
// are cached per isolate; it writes only when it links an identity the first time).
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import { type IdentityMatch, matchIdentity } from "./identities";

export const ACCESS_ASSERTION_HEADER = "cf-access-jwt-assertion";

export interface AccessConfig {
  teamDomain: string;
  audience: string;
}

export function accessConfig(env: Env): AccessConfig | null {
  const teamDomain = env.ACCESS_TEAM_DOMAIN?.trim().replace(/\/+$/, "");
  const audience = env.ACCESS_AUD?.trim();
  if (!teamDomain || !audience) return null;
  return { teamDomain, audience };
}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function teamKeys(teamDomain: string) {
  let keys = keySets.get(teamDomain);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${teamDomain}/cdn-cgi/access/certs`), { timeoutDuration: 10_000 });
    keySets.set(teamDomain, keys);
  }
  return keys;
}

export type AccessVerification =
  | { ok: true; issuer: string; subject: string; email: string; claims: JWTPayload }
  | { ok: false; reason: "not-configured" | "no-assertion" | "invalid"; message: string };

/** Verifies the request's Access assertion; never throws. */
async function verifyAccessRequest(env: Env, request: Request): Promise<AccessVerification> {
  const config = accessConfig(env);
  if (!config) return { ok: false, reason: "not-configured", message: "Cloudflare Access is not configured for this app." };
  const token = request.headers.get(ACCESS_ASSERTION_HEADER);
  if (!token) {
    return { ok: false, reason: "no-assertion", message: "This request did not come through Cloudflare Access (no Cf-Access-Jwt-Assertion header)." };
  }
  try {
    const { payload } = await jwtVerify(token, teamKeys(config.teamDomain), {
      issuer: config.teamDomain,
      audience: config.audience,
      algorithms: ["RS256"],
      requiredClaims: ["exp", "sub"],
      clockTolerance: 30,
    });
    const email = typeof payload.email === "string" ? payload.email : "";
    // Service tokens carry no email: they are not people and get no session.
    if (!email) return { ok: false, reason: "invalid", message: "The Cloudflare Access assertion carries no email (a service token?)." };
    return { ok: true, issuer: config.teamDomain, subject: payload.sub!, email, claims: payload };
  } catch (err) {
    return { ok: false, reason: "invalid", message: `The Cloudflare Access assertion was refused (${describe(err)}).` };
  }
}

/** The user behind a verified Access assertion on this request, or null (no/invalid assertion, unknown email). */
export async function accessUser(env: Env, request: Request): Promise<{ userId: string } | null> {
  const verified = await verifyAccessRequest(env, request);
  if (!verified.ok) return null;
  const match = await matchIdentity(env, verified, { recordLogin: false });
  return match.ok ? { userId: match.userId } : null;
}

/** For GET /auth/access: the verification and, when it holds, the user match (recording the sign-in). */
export async function signInWithAccess(env: Env, request: Request): Promise<{ verified: AccessVerification; match?: IdentityMatch }> {
  const verified = await verifyAccessRequest(env, request);
  if (!verified.ok) return { verified };
  return { verified, match: await matchIdentity(env, verified, { recordLogin: true }) };
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "expired";
  if (err instanceof errors.JWTClaimValidationFailed) return `${err.claim} claim ${err.reason === "check_failed" ? "does not match" : err.reason}`;
  if (err instanceof errors.JWSSignatureVerificationFailed) return "signature does not verify against the team's keys";
  if (err instanceof errors.JWKSNoMatchingKey) return "signed with a key the team does not publish";
  if (err instanceof errors.JOSEError) return err.code;
  return err instanceof Error ? err.message : String(err);
}
