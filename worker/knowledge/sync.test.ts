// Syncing an account's knowledge from a connected help desk, against the fake
// help desk (test/fakes/help-desks.ts) in this file's own knowledge space:
// the first sync indexes everything, a re-sync rewrites nothing unchanged and
// follows deletions, a failed listing deletes nothing and says why.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { FAKE_HELPDESK_CREDENTIALS, type FakeVendor } from "../../test/fakes/help-desk-fixtures";
import { enableSource } from "../../test/fixtures";
import { getDb, schema } from "../db/client";
import { setOutbound } from "../integrations/connector-settings";
import { OUTBOUND } from "../integrations/registry";
import { searchKnowledge } from "./search";
import { listArticles, listSyncs } from "./store";
import { syncAll, syncSource } from "./sync";

const FAKE = env.FAKE_HELPDESK_URL!;
const SPACE = `sync-test-${crypto.randomUUID().slice(0, 8)}`;
let n = 0;

async function connectedAccount(vendor: FakeVendor, credentials = FAKE_HELPDESK_CREDENTIALS[vendor]) {
  const account = `sync-acct-${++n}`;
  await getDb(env).insert(schema.accounts).values({ id: account, name: account }).onConflictDoNothing();
  await enableSource(env, account, vendor, "whsec_c3luYy10ZXN0LXNlY3JldC0xMjM0NTY3ODkwMTI=");
  await setOutbound(env, account, vendor, { apiBaseUrl: `${FAKE}/${vendor}/~${SPACE}`, credentials }, OUTBOUND[vendor]!.credentialFields, "test");
  return account;
}

async function changeFake(body: Record<string, unknown>) {
  const res = await fetch(`${FAKE}/_fake/knowledge`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ space: SPACE, ...body }),
  });
  expect(res.status).toBe(200);
}

describe("knowledge sync", () => {
  it("imports a help desk's articles and macros, then follows its changes", async () => {
    const account = await connectedAccount("zendesk");
    const first = await syncSource(env, account, "zendesk");
    expect(first.status).toBe("ok");
    expect(first.counts!.added).toBeGreaterThan(2);
    expect(first.counts).toMatchObject({ deleted: 0, updated: 0, unchanged: 0 });
    const listed = await listArticles(env, account, { source: "zendesk" });
    expect(listed.total).toBe(first.counts!.added);
    expect(listed.articles.some((a) => a.kind === "saved_reply")).toBe(true);
    // Indexed as text, script tags gone, and found by search.
    const hits = await searchKnowledge(env, account, "how do I reset my password");
    expect(hits[0]?.title).toBe("Reset your password");
    expect(JSON.stringify(hits)).not.toContain("alert");

    const again = await syncSource(env, account, "zendesk");
    expect(again.counts).toMatchObject({ added: 0, updated: 0, deleted: 0, unchanged: first.counts!.added });

    await changeFake({ vendor: "zendesk", remove: { docs: [1] } });
    const afterDelete = await syncSource(env, account, "zendesk");
    expect(afterDelete.counts!.deleted).toBeGreaterThanOrEqual(1);
    expect((await searchKnowledge(env, account, "how do I reset my password")).map((h) => h.title)).not.toContain("Reset your password");
    await changeFake({ vendor: "zendesk", reset: true });

    const [recorded] = await listSyncs(env, account);
    expect(recorded).toMatchObject({ source: "zendesk", status: "ok", counts: afterDelete.counts, error: null });
  });

  it("keeps what it has when the help desk refuses, and records why", async () => {
    const account = await connectedAccount("freshdesk");
    const ok = await syncSource(env, account, "freshdesk");
    expect(ok.status).toBe("ok");
    const before = (await listArticles(env, account)).total;

    await setOutbound(
      env,
      account,
      "freshdesk",
      { apiBaseUrl: `${FAKE}/freshdesk/~${SPACE}`, credentials: { ...FAKE_HELPDESK_CREDENTIALS.freshdesk, api_key: "revoked-key" } },
      OUTBOUND.freshdesk!.credentialFields,
      "test",
    );
    const failed = await syncSource(env, account, "freshdesk");
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/Freshdesk.*401/);
    expect(failed.error).not.toContain("revoked-key");
    expect((await listArticles(env, account)).total).toBe(before);
    expect(await listSyncs(env, account)).toEqual([expect.objectContaining({ source: "freshdesk", status: "failed", error: failed.error })]);
  });

  it("syncs only the sources connected with outbound credentials", async () => {
    const account = await connectedAccount("intercom");
    const results = await syncAll(env, account);
    expect(results.find((r) => r.source === "intercom")?.status).toBe("ok");
    expect(results.find((r) => r.source === "zendesk")).toMatchObject({ status: "not_connected" });
    expect((await listSyncs(env, account)).map((s) => s.source)).toEqual(["intercom"]);
  });
});
