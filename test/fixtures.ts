// Test data and helpers shared by the workerd tests.

import { exports } from "cloudflare:workers";
import { getDb, schema } from "../worker/db/client";
import { hashPassword } from "../worker/identity/password";
import { rotateSigningSecret, setEnabled, setOutbound } from "../worker/integrations/connector-settings";
import { sign } from "../worker/integrations/generic/standard-webhooks";
import { OUTBOUND } from "../worker/integrations/registry";
import type { SourceId } from "../worker/integrations/types";
import { addArticle } from "../worker/knowledge/store";
import { FAKE_HELPDESK_CREDENTIALS, type FakeVendor } from "./fakes/help-desk-fixtures";

export const ACCOUNT = "acme";
export const OTHER_ACCOUNT = "globex";
export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const OTHER_SECRET = "whsec_dGVzdC1zZWNyZXQtZm9yLWdsb2JleC0xMjM0NQ==";
export const PASSWORD = "correct horse battery staple";

export const USERS = {
  agent: { id: "u_agent", email: "agent@acme.test", name: "Alex Agent", role: "agent" as const },
  lead: { id: "u_lead", email: "lead@acme.test", name: "Lee Lead", role: "lead" as const },
  admin: { id: "u_admin", email: "admin@acme.test", name: "Ada Admin", role: "admin" as const },
  outsider: { id: "u_out", email: "someone@globex.test", name: "Gil Globex", role: "admin" as const },
};

export async function seedTestAccount(env: Env) {
  const db = getDb(env);
  const passwordHash = await hashPassword(PASSWORD);
  await db.batch([
    db.insert(schema.accounts).values([
      { id: ACCOUNT, name: "Acme Support" },
      { id: OTHER_ACCOUNT, name: "Globex Help" },
    ]),
    db.insert(schema.plans).values([
      { id: "acme-free", accountId: ACCOUNT, name: "Free", tier: "free", slaHours: 48 },
      { id: "acme-pro", accountId: ACCOUNT, name: "Pro", tier: "pro", slaHours: 8 },
      { id: "acme-ent", accountId: ACCOUNT, name: "Enterprise", tier: "enterprise", slaHours: 2 },
    ]),
    db.insert(schema.customers).values([
      { id: "c1", accountId: ACCOUNT, email: "pat@customer.test", name: "Pat Doe", company: "Initech", planId: "acme-pro" },
      { id: "c2", accountId: ACCOUNT, email: "cto@bigco.test", name: "Morgan Chief", company: "BigCo", planId: "acme-ent" },
      { id: "c3", accountId: ACCOUNT, email: "free@user.test", name: "Frida Free", company: null, planId: "acme-free" },
    ]),
    db.insert(schema.users).values(Object.values(USERS).map((u) => ({ id: u.id, email: u.email, name: u.name, passwordHash }))),
    db.insert(schema.memberships).values([
      { userId: USERS.agent.id, accountId: ACCOUNT, role: "agent" },
      { userId: USERS.lead.id, accountId: ACCOUNT, role: "lead" },
      { userId: USERS.admin.id, accountId: ACCOUNT, role: "admin" },
      { userId: USERS.outsider.id, accountId: OTHER_ACCOUNT, role: "admin" },
    ]),
  ]);
  await enableSource(env, ACCOUNT, "generic", SECRET);
  await enableSource(env, OTHER_ACCOUNT, "generic", OTHER_SECRET);
}

/** Switches a source on for an account with the given signing secret (sealed, as in production). */
export async function enableSource(env: Env, accountId: string, source: SourceId, secret: string) {
  await rotateSigningSecret(env, accountId, source, secret, 0, "test");
  await setEnabled(env, accountId, source, true, "test");
}

/** A help desk connected both ways: its webhooks signed with `secret`, replies going to the fake at `fakeUrl`. */
export async function connectToFake(env: Env, vendor: FakeVendor, secret: string, fakeUrl: string) {
  await enableSource(env, ACCOUNT, vendor, secret);
  await setOutbound(
    env,
    ACCOUNT,
    vendor,
    { apiBaseUrl: `${fakeUrl}/${vendor}`, credentials: FAKE_HELPDESK_CREDENTIALS[vendor] },
    OUTBOUND[vendor]!.credentialFields,
    "test",
  );
}

let counter = 0;
export function ticket(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    id: `T-${Date.now()}-${counter}`,
    subject: "I was charged twice this month",
    body: "Hello, my card shows two charges for the Pro plan in November. Can you check?",
    requester: { email: "pat@customer.test", name: "Pat Doe" },
    priority: "normal",
    ...overrides,
  };
}

/** Signs a body the Standard Webhooks way and posts it to the Worker. */
export async function postWebhook(
  body: string,
  opts: { account?: string; secret?: string; timestamp?: number; id?: string; headers?: Record<string, string> } = {},
) {
  const id = opts.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = await sign(opts.secret ?? SECRET, id, timestamp, body);
  return exports.default.fetch(`https://triage.test/webhooks/${opts.account ?? ACCOUNT}/generic`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signature,
      ...opts.headers,
    },
    body,
  });
}

/** Signs in through the API and returns the bearer token. */
export async function signIn(email: string, password = PASSWORD): Promise<string> {
  const res = await exports.default.fetch("https://triage.test/api/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 201) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return exports.default.fetch(`https://triage.test${path}`, { ...init, headers });
}

/** Polls until `check` returns a value that is not undefined/null/false. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * An article that answers "could you send me last month's invoice again?": auto-send
 * applies only to cited answers, so tests of auto-send give the account this one.
 */
export function addInvoiceCopyArticle(env: Env, accountId: string) {
  return addArticle(
    env,
    accountId,
    {
      title: "Invoice copy",
      body: "We can send you a copy of any invoice again. Open Billing → Invoices, pick last month or any earlier month, and choose Download PDF; the same page can email it to you.",
      url: "https://help.acme.test/invoice-copy",
      language: "en",
    },
    "user:admin@acme.test",
  );
}
