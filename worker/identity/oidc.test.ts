// OpenID Connect sign-in against a real OpenID Provider (oidc-provider, started
// by vitest.config.ts on 127.0.0.1): the browser's part is played with plain
// fetch and a hand-kept cookie jar, the Worker is reached through its entry.
import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { USERS } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { openTransaction, sealTransaction, TRANSACTION_COOKIE } from "./oidc";

const ORIGIN = "https://triage.test";
const ISSUER = env.OIDC_ISSUER!;

/** Name → value of the cookies a response sets (a deleted cookie maps to ""). */
function setCookies(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0]!;
    const i = pair.indexOf("=");
    const deleted = /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line);
    out.set(pair.slice(0, i).trim(), deleted ? "" : pair.slice(i + 1));
  }
  return out;
}

/** The provider's cookies, as a browser would keep them for 127.0.0.1. */
class Jar {
  private cookies = new Map<string, string>();
  store(res: Response) {
    for (const [k, v] of setCookies(res)) v ? this.cookies.set(k, v) : this.cookies.delete(k);
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

interface Started {
  /** The sealed transaction cookie the Worker set. */
  tx: string;
  /** Where the provider sends the browser back: https://triage.test/auth/oidc/callback?… */
  callback: string;
}

/** /auth/oidc/start, then the provider's sign-in form as `email` (or Cancel), up to the redirect back. */
async function signInAtProvider(email: string, opts: { cancel?: boolean } = {}): Promise<Started> {
  const start = await exports.default.fetch(`${ORIGIN}/auth/oidc/start`, { redirect: "manual" });
  expect(start.status).toBe(302);
  const tx = setCookies(start).get(TRANSACTION_COOKIE);
  expect(tx).toBeTruthy();
  const txLine = start.headers.getSetCookie().find((c) => c.startsWith(`${TRANSACTION_COOKIE}=`))!;
  expect(txLine).toMatch(/HttpOnly/);
  expect(txLine).toMatch(/SameSite=Lax/);
  expect(txLine).toMatch(/Secure/);

  const authorize = new URL(start.headers.get("location")!);
  expect(authorize.origin).toBe(ISSUER);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("redirect_uri")).toBe(`${ORIGIN}/auth/oidc/callback`);
  expect(authorize.searchParams.get("nonce")).toBeTruthy();

  const jar = new Jar();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: jar.header } });
    jar.store(res);
    return res;
  };
  let res = await go(authorize.href);
  expect(res.status).toBe(303);
  const interaction = new URL(res.headers.get("location")!, ISSUER).href;
  res = await go(interaction);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('name="email"');

  res = opts.cancel
    ? await go(`${interaction}/abort`)
    : await go(interaction, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, password: "anything" }).toString(),
      });
  // Follow the provider's own redirects until it sends the browser back to the app.
  for (let hops = 0; hops < 5; hops++) {
    expect([302, 303]).toContain(res.status);
    const next = new URL(res.headers.get("location")!, ISSUER).href;
    if (next.startsWith(`${ORIGIN}/`)) return { tx: tx!, callback: next };
    res = await go(next);
  }
  throw new Error("the provider never redirected back to the app");
}

/** The whole round trip as `email`: the Worker's answer to the provider's redirect back. */
async function signInAs(email: string): Promise<Response> {
  const started = await signInAtProvider(email);
  return callback(started.callback, started.tx);
}

function callback(url: string, tx: string | null) {
  return exports.default.fetch(url, { redirect: "manual", headers: tx ? { cookie: `${TRANSACTION_COOKIE}=${tx}` } : {} });
}

async function me(res: Response) {
  const token = setCookies(res).get("st_session");
  expect(token).toBeTruthy();
  const meRes = await exports.default.fetch(`${ORIGIN}/api/me`, { headers: { cookie: `st_session=${token}` } });
  expect(meRes.status).toBe(200);
  return (await meRes.json()) as { id: string; email: string; name: string; memberships: { accountId: string; role: string }[] };
}

async function expectRefused(res: Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
  expect(await res.text()).toMatch(message);
  expect(setCookies(res).get("st_session")).toBeUndefined();
  // The transaction is over either way.
  expect(setCookies(res).get(TRANSACTION_COOKIE)).toBe("");
}

async function identityOf(userId: string) {
  return getDb(env).select().from(schema.identities).where(eq(schema.identities.userId, userId)).all();
}

describe("OpenID Connect sign-in", () => {
  afterEach(() => vi.restoreAllMocks());

  it("signs a known user in: provider login → callback → session for that user and only their memberships", async () => {
    const { tx, callback: url } = await signInAtProvider("agent@acme.test");
    const res = await callback(url, tx);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    expect(setCookies(res).get(TRANSACTION_COOKIE)).toBe("");

    const user = await me(res);
    expect(user).toMatchObject({ id: USERS.agent.id, email: USERS.agent.email, name: "Alex Agent" });
    expect(user.memberships).toEqual([{ accountId: "acme", accountName: "Acme Support", role: "agent" }]);

    const [identity] = await identityOf(USERS.agent.id);
    expect(identity).toMatchObject({ issuer: ISSUER, email: "agent@acme.test" });
    expect(identity!.subject).toMatch(/^usr_/);
    expect(identity!.lastLoginAt).toBeTruthy();
  });

  it("links by email case-insensitively, and keeps a linked identity even when the user's email changes", async () => {
    const lead = await signInAs("Lead@ACME.test");
    expect((await me(lead)).id).toBe(USERS.lead.id);

    const db = getDb(env);
    const [before] = await identityOf(USERS.agent.id);
    await db.update(schema.users).set({ email: "alex@renamed.test" }).where(eq(schema.users.id, USERS.agent.id));
    try {
      const again = await signInAs("agent@acme.test");
      expect((await me(again)).id).toBe(USERS.agent.id);
      const [after] = await identityOf(USERS.agent.id);
      expect(after!.subject).toBe(before!.subject);
      expect(after!.lastLoginAt! >= before!.lastLoginAt!).toBe(true);
    } finally {
      await db.update(schema.users).set({ email: USERS.agent.email }).where(eq(schema.users.id, USERS.agent.id));
    }
  });

  it("gives a member of another account only that account", async () => {
    const res = await signInAs("someone@globex.test");
    const user = await me(res);
    expect(user.id).toBe(USERS.outsider.id);
    expect(user.memberships.map((m) => m.accountId)).toEqual(["globex"]);
  });

  it("refuses an unknown person without creating a user or a session", async () => {
    const res = await signInAs("unknown@nowhere.test");
    await expectRefused(res, 403, /No account for unknown@nowhere\.test: ask an admin to invite you/);
    const db = getDb(env);
    expect(await db.select().from(schema.users).where(eq(schema.users.email, "unknown@nowhere.test")).all()).toEqual([]);
    expect(await db.select().from(schema.identities).where(eq(schema.identities.email, "unknown@nowhere.test")).all()).toEqual([]);
  });

  it("refuses an address the provider has not verified", async () => {
    const res = await signInAs("admin@acme.test");
    await expectRefused(res, 401, /not verified/);
    expect(await identityOf(USERS.admin.id)).toEqual([]);
  });

  it("refuses a tampered state, a missing or forged transaction cookie, and a provider error", async () => {
    const { tx, callback: url } = await signInAtProvider("agent@acme.test");
    const tampered = new URL(url);
    tampered.searchParams.set("state", `${tampered.searchParams.get("state")}x`);
    await expectRefused(await callback(tampered.href, tx), 400, /does not belong to this sign-in/);
    await expectRefused(await callback(url, null), 400, /no matching start/);
    await expectRefused(await callback(url, `${tx.slice(0, -4)}AAA=`), 400, /could not be verified/);

    const cancelled = await signInAtProvider("agent@acme.test", { cancel: true });
    expect(new URL(cancelled.callback).searchParams.get("error")).toBe("access_denied");
    await expectRefused(await callback(cancelled.callback, cancelled.tx), 400, /did not sign you in \(access_denied/);
  });

  it("refuses a code that was already redeemed", async () => {
    const { tx, callback: url } = await signInAtProvider("agent@acme.test");
    expect((await callback(url, tx)).status).toBe(302);
    await expectRefused(await callback(url, tx), 400, /refused the sign-in code \(invalid_grant/);
  });

  it("refuses an ID token whose nonce is not this sign-in's", async () => {
    const { tx, callback: url } = await signInAtProvider("agent@acme.test");
    // Same state and PKCE verifier, another nonce: as if the token belonged to another attempt.
    const opened = await openTransaction(env, tx);
    const forged = await sealTransaction(env, { ...opened, nonce: "another-nonce" });
    await expectRefused(await callback(url, forged), 401, /ID token is not valid.*nonce/);
  });

  describe("ID tokens the provider would not issue (re-signed in transit)", () => {
    /** Rewrites the ID token in the token endpoint's answer; `key: "other"` signs with a key the provider does not publish. */
    function rewriteIdToken(edit: (claims: Record<string, unknown>) => Record<string, unknown>, key: "provider" | "other" = "provider") {
      const realFetch = globalThis.fetch;
      vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
        const request = new Request(input, init);
        const res = await realFetch(request);
        if (request.url !== `${ISSUER}/token` || res.status !== 200) return res;
        const body = (await res.json()) as { id_token: string };
        const claims = JSON.parse(atob(body.id_token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
        const signed = await realFetch(`${ISSUER}/_test/sign`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ claims: edit(claims), key }),
        });
        body.id_token = ((await signed.json()) as { token: string }).token;
        return new Response(JSON.stringify(body), { status: 200, headers: res.headers });
      });
    }

    it("accepts the provider's own token re-signed unchanged (the rewrite itself is sound)", async () => {
      rewriteIdToken((c) => c);
      const res = await signInAs("agent@acme.test");
      expect((await me(res)).id).toBe(USERS.agent.id);
    });

    it("refuses a token for another audience", async () => {
      rewriteIdToken((c) => ({ ...c, aud: "some-other-client" }));
      const res = await signInAs("agent@acme.test");
      await expectRefused(res, 401, /ID token is not valid.*aud/);
    });

    it("refuses an expired token", async () => {
      const now = Math.floor(Date.now() / 1000);
      rewriteIdToken((c) => ({ ...c, iat: now - 3600, exp: now - 1800 }));
      const res = await signInAs("agent@acme.test");
      await expectRefused(res, 401, /ID token is not valid.*exp/);
    });

    it("refuses a token from another issuer", async () => {
      rewriteIdToken((c) => ({ ...c, iss: "https://evil.example" }));
      const res = await signInAs("agent@acme.test");
      await expectRefused(res, 401, /ID token is not valid.*iss/);
    });

    it("refuses a token signed with a key the provider does not publish", async () => {
      rewriteIdToken((c) => c, "other");
      const res = await signInAs("agent@acme.test");
      await expectRefused(res, 401, /signature does not verify/);
    });
  });

  it("keeps no session for a failed attempt and records the sign-in time only for real sign-ins", async () => {
    const db = getDb(env);
    const sessionsBefore = (await db.select().from(schema.sessions).all()).length;
    const { tx, callback: url } = await signInAtProvider("agent@acme.test");
    const bad = new URL(url);
    bad.searchParams.set("state", "nope");
    expect((await callback(bad.href, tx)).status).toBe(400);
    expect((await db.select().from(schema.sessions).all()).length).toBe(sessionsBefore);
    const identity = await db
      .select()
      .from(schema.identities)
      .where(and(eq(schema.identities.userId, USERS.agent.id), eq(schema.identities.issuer, ISSUER)))
      .get();
    expect(identity?.lastLoginAt).toBeTruthy();
  });
});
