// Who a Chatwoot contact is: chat, WhatsApp and SMS contacts arrive with a
// name at most and no address, so the mapping gives a stand-in and the triage
// Workflow asks GET /api/v1/accounts/{account_id}/contacts/{id} (the answer is
// `{ payload: contact }`). The account id comes from the ticket (refs.accountId)
// or the connector's account_id credential, as for replies.
// https://developers.chatwoot.com/api-reference/contacts/show-contact
import { type CallContext, callVendor, requireCredentials, seg } from "../common/vendor-http";
import { OutboundError, type PeopleLookup, type PersonFound } from "../types";

const VENDOR = "Chatwoot";

interface ChatwootContact {
  payload?: { id?: number; name?: string | null; email?: string | null };
}

async function find(ctx: CallContext, id: string, refs: Record<string, string>): Promise<PersonFound> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["api_access_token"] as const);
  const accountId = (refs.accountId || ctx.credentials.account_id || "").trim();
  if (!accountId) throw new OutboundError(`${VENDOR} needs an account id (refs.accountId or the account_id credential)`, null, false);
  const res = await callVendor<ChatwootContact>(
    ctx,
    { method: "GET", path: `/api/v1/accounts/${seg(accountId)}/contacts/${seg(id)}`, headers: { api_access_token: c.api_access_token } },
    { vendor: VENDOR },
  );
  return { email: res?.payload?.email || null, name: res?.payload?.name || null };
}

export const chatwoot: PeopleLookup = {
  kinds: ["contact"],
  find: (ctx, ref, refs) => find(ctx, ref.id, refs),
};
