// Help Scout Mailbox API 2.0: an OAuth2 token from the client-credentials flow
// (POST /v2/oauth2/token), then a reply thread (POST /v2/conversations/{id}/reply)
// or a note (POST /v2/conversations/{id}/notes). Both answer 201 with an empty
// body; the new thread's id is in the `Resource-ID` header.
// https://developer.helpscout.com/mailbox-api/overview/authentication/
// https://developer.helpscout.com/mailbox-api/endpoints/conversations/threads/reply/
// https://developer.helpscout.com/mailbox-api/endpoints/conversations/threads/note/
// Triage write-back: tags only (conversations have no priority field).
// PUT /v2/conversations/{id}/tags REPLACES the list (204), so the current tags
// are read first (GET /v2/conversations/{id}, `tags[].tag`) and ours merged in.
// https://developer.helpscout.com/mailbox-api/endpoints/conversations/tags/update/
// https://developer.helpscout.com/mailbox-api/endpoints/conversations/get/
import {
  type CallContext,
  callVendor,
  callVendorRaw,
  mergeTags,
  numericOr,
  requireCredentials,
  seg,
  type VendorRequest,
  type VendorResponse,
} from "../common/vendor-http";
import { type OutboundConnector, OutboundError, type OutboundResult, type OutboundTarget, type TriageFields, type TriageWritten } from "../types";

const VENDOR = "Help Scout";
/** Renew this long before the token's stated expiry. */
const EXPIRY_MARGIN_MS = 60_000;

interface TokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
}

// Tokens per isolate, keyed by API base URL + app id. Never logged, never persisted.
const tokens = new Map<string, { token: string; expiresAt: number }>();

/** Forgets cached tokens (tests). */
export function clearHelpScoutTokenCache(): void {
  tokens.clear();
}

async function accessToken(ctx: CallContext, fresh: boolean): Promise<string> {
  const c = requireCredentials(VENDOR, ctx.credentials, ["app_id", "app_secret"] as const);
  const key = `${ctx.baseUrl.replace(/\/+$/, "")}|${c.app_id}`;
  const cached = tokens.get(key);
  if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
  tokens.delete(key);

  const res = await callVendor<TokenResponse>(
    ctx,
    { method: "POST", path: "/v2/oauth2/token", json: { grant_type: "client_credentials", client_id: c.app_id, client_secret: c.app_secret } },
    { vendor: VENDOR },
  );
  if (!res || typeof res !== "object" || typeof res.access_token !== "string" || !res.access_token) {
    throw new OutboundError(`${VENDOR} token endpoint answered without an access_token`, null, true);
  }
  const lifetimeMs = (typeof res.expires_in === "number" && res.expires_in > 0 ? res.expires_in : 7200) * 1000;
  tokens.set(key, { token: res.access_token, expiresAt: Date.now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS) });
  return res.access_token;
}

/** Calls with a bearer token; on 401 (revoked or expired early) fetches a new token once. */
async function withToken(ctx: CallContext, req: VendorRequest): Promise<OutboundResult> {
  const res = await authorized(ctx, req);
  const id = res.headers.get("resource-id");
  if (!id) throw new OutboundError(`${VENDOR} answered ${res.status} without a Resource-ID header`, res.status, false);
  return { remoteId: id };
}

/** A Mailbox API call with the app's bearer token (knowledge.ts lists saved replies with it). */
export async function authorized<T = unknown>(ctx: CallContext, req: VendorRequest): Promise<VendorResponse<T>> {
  let token = await accessToken(ctx, false);
  for (let retried = false; ; retried = true) {
    try {
      return await callVendorRaw<T>(ctx, { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } }, { vendor: VENDOR });
    } catch (err) {
      if (!retried && err instanceof OutboundError && err.status === 401) {
        token = await accessToken(ctx, true);
        continue;
      }
      throw err;
    }
  }
}

function customerRef(target: OutboundTarget): { id: number | string } | { email: string } {
  const id = target.refs.customerId?.trim();
  if (id) return { id: numericOr(id) };
  // The reply page shows `customer: { id }`; the customer reference object is
  // documented (Create Conversation) as "a valid customer id or an email address".
  if (target.requesterEmail) return { email: target.requesterEmail };
  throw new OutboundError(`${VENDOR} reply needs the customer id (refs.customerId) or the requester email`, null, false);
}

async function writeTriage(ctx: CallContext, target: OutboundTarget, fields: TriageFields): Promise<TriageWritten> {
  const path = `/v2/conversations/${seg(target.conversationId)}`;
  if (!fields.tags.length) return { remoteId: target.conversationId, tags: [], priority: null };
  const current = await authorized<{ tags?: { tag?: string }[] }>(ctx, { method: "GET", path });
  const existing = (current.body?.tags ?? []).flatMap((t) => (typeof t?.tag === "string" ? [t.tag] : []));
  const tags = mergeTags(existing, fields.tags);
  await authorized(ctx, { method: "PUT", path: `${path}/tags`, json: { tags } });
  return { remoteId: target.conversationId, tags, priority: null };
}

export const helpscout: OutboundConnector = {
  id: "helpscout",
  name: "Help Scout",
  credentialFields: [
    { key: "app_id", label: "App ID", secret: false },
    { key: "app_secret", label: "App secret", secret: true },
    // Docs lives behind its own API with a per-user key; only the knowledge import uses it.
    { key: "docs_api_key", label: "Docs API key (optional: imports Docs articles)", secret: true },
  ],
  defaultBaseUrl: "https://api.helpscout.net",
  postReply: (ctx, target, body) =>
    withToken(ctx, { method: "POST", path: `/v2/conversations/${seg(target.conversationId)}/reply`, json: { customer: customerRef(target), text: body } }),
  postInternalNote: (ctx, target, note) =>
    withToken(ctx, { method: "POST", path: `/v2/conversations/${seg(target.conversationId)}/notes`, json: { text: note } }),
  triageFields: ["tags"],
  writeTriage,
};
