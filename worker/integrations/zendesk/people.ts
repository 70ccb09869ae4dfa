// Who a Zendesk requester is: event payloads carry only `requester_id`, so the
// mapping gives a stand-in (`requester-<id>@zendesk.invalid`) and the triage
// Workflow asks GET /api/v2/users/{id} for the name and address. Auth: the
// shared API token as Basic `{email}/token:{api_token}` (a lookup is the
// account's, never a person's).
// https://developer.zendesk.com/api-reference/ticketing/users/users/#show-user
import { basicAuth, type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import type { PeopleLookup, PersonFound } from "../types";

const VENDOR = "Zendesk";

interface ZendeskUser {
  user?: { id?: number; name?: string | null; email?: string | null };
}

async function find(ctx: CallContext, id: string): Promise<PersonFound> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["email", "api_token"] as const);
  const res = await callVendor<ZendeskUser>(
    ctx,
    { method: "GET", path: `/api/v2/users/${seg(id)}`, headers: { authorization: basicAuth(`${c.email}/token`, c.api_token) } },
    { vendor: VENDOR },
  );
  return { email: res?.user?.email ?? null, name: res?.user?.name ?? null };
}

export const zendesk: PeopleLookup = {
  kinds: ["requester"],
  find: (ctx, ref) => find(ctx, ref.id),
};
