// Who an Intercom contact is: conversation and ticket webhooks often name the
// contact by id only (a lead without an address, the 1.x `user` with email
// ""), so the mapping gives a stand-in and the triage Workflow asks
// GET /contacts/{id} (API version pinned like the outbound connector).
// https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/contacts/showcontact
import { type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { PeopleLookup, PersonFound } from "../types";
import { INTERCOM_VERSION } from "./outbound";

const VENDOR = "Intercom";

interface IntercomContact {
  type?: string;
  id?: string;
  email?: string | null;
  name?: string | null;
}

async function find(ctx: CallContext, id: string): Promise<PersonFound> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["access_token"] as const);
  const res = await callVendor<IntercomContact>(
    ctx,
    { method: "GET", path: `/contacts/${seg(id)}`, headers: { authorization: `Bearer ${c.access_token}`, "intercom-version": INTERCOM_VERSION } },
    { vendor: VENDOR },
  );
  return { email: res?.email || null, name: res?.name || null };
}

export const intercom: PeopleLookup = {
  kinds: ["contact"],
  find: (ctx, ref) => find(ctx, ref.id),
};
