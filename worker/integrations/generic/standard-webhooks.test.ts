import { describe, expect, it } from "vitest";
// Published reference vectors, copied from shared/fixtures/webhooks/vectors.json.
import vectors from "../../../test/fixtures/webhook-vectors.json";
import { sign, verify } from "./standard-webhooks";

const v = vectors["standard-webhooks"];
const body = new TextEncoder().encode(v.body);
const headers = { id: v["webhook-id"], timestamp: v["webhook-timestamp"], signature: v["webhook-signature"] };
const at = Number(v["webhook-timestamp"]);

describe("Standard Webhooks verification", () => {
  it("computes the published signature", async () => {
    expect(await sign(v.secret, v["webhook-id"], v["webhook-timestamp"], v.body)).toBe(v["webhook-signature"]);
  });

  it("accepts the published vector within the tolerance", async () => {
    expect(await verify(v.secret, headers, body, at + 60)).toBeNull();
  });

  it("accepts when any of several space-separated signatures matches (rotation)", async () => {
    expect(await verify(v.secret, { ...headers, signature: `v1,bm90LXRoaXM= ${v["webhook-signature"]}` }, body, at)).toBeNull();
  });

  it("rejects a changed body, a wrong secret and a missing header", async () => {
    expect(await verify(v.secret, headers, new TextEncoder().encode(`${v.body} `), at)).toBe("bad signature");
    expect(await verify("whsec_c29tZS1vdGhlci1zZWNyZXQ=", headers, body, at)).toBe("bad signature");
    expect(await verify(v.secret, { ...headers, signature: null }, body, at)).toBe("missing signature");
  });

  it("rejects timestamps older or newer than five minutes", async () => {
    expect(await verify(v.secret, headers, body, at + 301)).toBe("stale timestamp");
    expect(await verify(v.secret, headers, body, at - 301)).toBe("future timestamp");
    expect(await verify(v.secret, { ...headers, timestamp: "soon" }, body, at)).toBe("malformed timestamp");
  });
});
