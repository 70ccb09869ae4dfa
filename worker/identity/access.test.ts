// Cloudflare Access assertions, verified against a local team domain
// (test/fakes/access.ts: JWKS at /cdn-cgi/access/certs, test tokens from /_sign).
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { ACCESS_ASSERTION_HEADER, accessUser } from "./access";

const TEAM = env.ACCESS_TEAM_DOMAIN!;
const AUD = env.ACCESS_AUD!;

async function assertion(claims: Record<string, unknown>, opts: { expiresIn?: number; key?: "team" | "other" } = {}): Promise<string> {
  const res = await fetch(`${TEAM}/_sign`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ claims, ...opts }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const valid = (email = "agent@acme.test", sub = "access-agent") => ({ aud: [AUD], email, sub });

function signIn(token?: string) {
  return exports.default.fetch("https://triage.test/auth/access", {
    redirect: "manual",
    headers: token ? { [ACCESS_ASSERTION_HEADER]: token } : {},
  });
}

function sessionCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("st_session="))
    ?.split(";")[0];
}

async function expectRefused(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect(await res.text()).toMatch(message);
  expect(sessionCookie(res)).toBeUndefined();
}

describe("Cloudflare Access", () => {
  it("turns a valid assertion into a session for the user with that email, and links the identity", async () => {
    const res = await signIn(await assertion(valid()));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    const me = await exports.default.fetch("https://triage.test/api/me", { headers: { cookie: sessionCookie(res)! } });
    expect(await me.json()).toMatchObject({ id: USERS.agent.id, memberships: [{ accountId: "acme", role: "agent" }] });

    const identity = await getDb(env).select().from(schema.identities).where(eq(schema.identities.subject, "access-agent")).get();
    expect(identity).toMatchObject({ issuer: TEAM, userId: USERS.agent.id, email: "agent@acme.test" });
    expect(identity!.lastLoginAt).toBeTruthy();
  });

  it("accessUser maps a verified assertion to its user, and anything else to null", async () => {
    const request = (token?: string) => new Request("https://triage.test/", { headers: token ? { [ACCESS_ASSERTION_HEADER]: token } : {} });
    expect(await accessUser(env, request(await assertion(valid("LEAD@acme.test", "access-lead"))))).toEqual({ userId: USERS.lead.id });
    expect(await accessUser(env, request())).toBeNull();
    expect(await accessUser(env, request(await assertion({ ...valid(), aud: ["another-app"] })))).toBeNull();
    expect(await accessUser(env, request(await assertion(valid("unknown@nowhere.test", "access-unknown"))))).toBeNull();
  });

  it("refuses an assertion for another application (audience)", async () => {
    await expectRefused(await signIn(await assertion({ ...valid(), aud: ["another-app"] })), 401, /refused \(aud claim does not match\)/);
  });

  it("refuses an expired assertion", async () => {
    await expectRefused(await signIn(await assertion(valid(), { expiresIn: -120 })), 401, /refused \(expired\)/);
  });

  it("refuses an assertion signed with a key the team does not publish", async () => {
    await expectRefused(await signIn(await assertion(valid(), { key: "other" })), 401, /signature does not verify/);
  });

  it("refuses an assertion from another team", async () => {
    await expectRefused(await signIn(await assertion({ ...valid(), iss: "https://other.cloudflareaccess.com" })), 401, /iss claim does not match/);
  });

  it("refuses a request without an assertion, a service token, and an unknown person", async () => {
    await expectRefused(await signIn(), 401, /no Cf-Access-Jwt-Assertion header/);
    await expectRefused(await signIn(await assertion({ aud: [AUD], sub: "", common_name: "svc.access" })), 401, /no email/);
    await expectRefused(
      await signIn(await assertion(valid("unknown@nowhere.test", "access-unknown"))),
      403,
      /No account for unknown@nowhere\.test: ask an admin to invite you/,
    );
  });
});
