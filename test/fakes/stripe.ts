// A local Stripe for the entitlement lookups (worker/billing/stripe.ts),
// speaking Stripe's documented wire format for the list endpoints we call:
//   GET /v1/customers?email=&limit=&starting_after=
//   GET /v1/subscriptions?customer=&status=&limit=&starting_after=&expand[]=
//   GET /v1/products?ids[]=&limit=&starting_after=
// Lists are `{ object: "list", data, has_more, url }`, paged by `limit`
// (1..100, default 10) and `starting_after` (an object id; not with `ids`);
// `status=all` includes canceled subscriptions, no status leaves them out;
// subscription items embed their price (`product` an id: expanding it on a
// subscription list is five levels deep).
// Expansions deeper than four levels are refused as Stripe does
// (`data.items.data.price.product` is five). Auth is `Authorization: Bearer
// <key>`; errors are `{ error: { type, code?, message } }` (401 for an
// unknown or revoked key, 400 for a bad parameter).
//
// Data lives per API key (each key is its own Stripe account), so test files
// running in parallel never meet. Tests drive it over HTTP:
//   POST /_fake/account   {key, customers, subscriptions, products?}: replaces that key's data
//   POST /_fake/script    {key, status, times, retryAfter?}: the next N requests with that key answer `status`
//   POST /_fake/revoke    {key}: the key is revoked (401 api_key_expired from now on)
//   GET  /_fake/requests?key=k -> { requests: [{ method, path, query }] }
// Node only; listens on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeStripeCustomer {
  id: string;
  email: string | null;
  name?: string | null;
  metadata?: Record<string, string>;
}

export interface FakeStripePrice {
  id: string;
  product: string;
  lookup_key?: string | null;
  nickname?: string | null;
  metadata?: Record<string, string>;
}

export interface FakeStripeSubscription {
  id: string;
  customer: string;
  status: "active" | "trialing" | "past_due" | "canceled" | "unpaid" | "incomplete" | "incomplete_expired" | "paused";
  metadata?: Record<string, string>;
  items: { price: FakeStripePrice }[];
}

export interface FakeStripeAccount {
  key: string;
  customers: FakeStripeCustomer[];
  subscriptions: FakeStripeSubscription[];
  products?: { id: string; name: string; metadata?: Record<string, string> }[];
}

interface Scripted {
  status: number;
  times: number;
  retryAfter?: number;
}

export interface FakeStripe {
  url: string;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res
    .writeHead(status, { "content-type": "application/json", "request-id": `req_${Math.random().toString(36).slice(2, 16)}`, ...headers })
    .end(JSON.stringify(body));

const stripeError = (res: ServerResponse, status: number, type: string, message: string, code?: string, headers?: Record<string, string>) =>
  json(res, status, { error: { type, message, ...(code ? { code } : {}) } }, headers);

/** Stripe's own way of showing a key in an error: its prefix and last four characters. */
const masked = (key: string) => `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

export async function startFakeStripe(port = 0): Promise<FakeStripe> {
  const accounts = new Map<string, FakeStripeAccount>();
  const revoked = new Set<string>();
  const scripts = new Map<string, Scripted>();
  const requests = new Map<string, { method: string; path: string; query: Record<string, string | string[]> }[]>();

  const page = <T extends { id: string }>(res: ServerResponse, url: URL, path: string, all: T[], shape: (item: T) => unknown) => {
    const rawLimit = url.searchParams.get("limit");
    const limit = rawLimit === null ? 10 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return stripeError(res, 400, "invalid_request_error", "Invalid integer: limit must be between 1 and 100", "parameter_invalid_integer");
    const after = url.searchParams.get("starting_after");
    let start = 0;
    if (after) {
      const at = all.findIndex((item) => item.id === after);
      if (at < 0) return stripeError(res, 400, "invalid_request_error", `No such object: '${after}'`, "resource_missing");
      start = at + 1;
    }
    const data = all.slice(start, start + limit);
    return json(res, 200, { object: "list", data: data.map(shape), has_more: start + limit < all.length, url: path });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake-stripe");
    const path = url.pathname;

    if (path.startsWith("/_fake/")) {
      if (req.method === "GET" && path === "/_fake/requests") {
        return json(res, 200, { requests: requests.get(url.searchParams.get("key") ?? "") ?? [] });
      }
      readBody(req)
        .then((text) => {
          const body = JSON.parse(text || "{}") as { key: string } & Partial<FakeStripeAccount> & Partial<Scripted>;
          if (path === "/_fake/account") {
            accounts.set(body.key, { key: body.key, customers: body.customers ?? [], subscriptions: body.subscriptions ?? [], products: body.products ?? [] });
            revoked.delete(body.key);
            scripts.delete(body.key);
            requests.delete(body.key);
          } else if (path === "/_fake/script") {
            scripts.set(body.key, { status: body.status ?? 500, times: body.times ?? 1, retryAfter: body.retryAfter });
          } else if (path === "/_fake/revoke") {
            revoked.add(body.key);
          } else {
            return json(res, 404, { error: `no fake endpoint ${path}` });
          }
          json(res, 200, { ok: true });
        })
        .catch((err: unknown) => json(res, 400, { error: String(err) }));
      return;
    }

    const auth = req.headers.authorization ?? "";
    const key = /^Bearer (.+)$/.exec(auth)?.[1] ?? "";
    if (key) {
      const log = requests.get(key) ?? [];
      const query: Record<string, string | string[]> = {};
      for (const name of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(name);
        query[name] = values.length > 1 ? values : values[0]!;
      }
      log.push({ method: req.method ?? "GET", path, query });
      requests.set(key, log);
    }
    if (!key)
      return stripeError(
        res,
        401,
        "invalid_request_error",
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      );
    if (revoked.has(key)) return stripeError(res, 401, "invalid_request_error", `Expired API Key provided: ${masked(key)}`, "api_key_expired");
    const account = accounts.get(key);
    if (!account) return stripeError(res, 401, "invalid_request_error", `Invalid API Key provided: ${masked(key)}`);

    const scripted = scripts.get(key);
    if (scripted && scripted.times > 0) {
      scripted.times -= 1;
      const headers: Record<string, string> = scripted.retryAfter !== undefined ? { "retry-after": String(scripted.retryAfter) } : {};
      if (scripted.status === 429)
        return stripeError(
          res,
          429,
          "invalid_request_error",
          "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
          "rate_limit",
          headers,
        );
      return stripeError(res, scripted.status, "api_error", "Something went wrong on Stripe's end.", undefined, headers);
    }

    if (req.method !== "GET") return stripeError(res, 404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${path}).`);

    if (path === "/v1/customers") {
      const email = url.searchParams.get("email");
      // Stripe's email filter is exact and case-sensitive.
      const found = account.customers.filter((c) => email === null || c.email === email);
      return page(res, url, path, found, (c) => ({ id: c.id, object: "customer", email: c.email, name: c.name ?? null, metadata: c.metadata ?? {} }));
    }

    if (path === "/v1/subscriptions") {
      const customer = url.searchParams.get("customer");
      const status = url.searchParams.get("status");
      const expand = url.searchParams.getAll("expand[]");
      const tooDeep = expand.find((e) => e.split(".").length > 4);
      if (tooDeep)
        return stripeError(
          res,
          400,
          "invalid_request_error",
          `You cannot expand more than 4 levels of a property. Property: ${tooDeep}`,
          "parameter_invalid_string",
        );
      const unknownExpand = expand.find((e) => e !== "data.customer");
      if (unknownExpand)
        return stripeError(res, 400, "invalid_request_error", `This property cannot be expanded (${unknownExpand}).`, "parameter_invalid_string");
      const found = account.subscriptions.filter(
        (s) => (customer === null || s.customer === customer) && (status === "all" ? true : status ? s.status === status : s.status !== "canceled"),
      );
      return page(res, url, path, found, (s) => ({
        id: s.id,
        object: "subscription",
        customer: s.customer,
        status: s.status,
        metadata: s.metadata ?? {},
        items: {
          object: "list",
          data: s.items.map((item, i) => ({
            id: `si_${s.id}_${i}`,
            object: "subscription_item",
            price: {
              id: item.price.id,
              object: "price",
              product: item.price.product,
              lookup_key: item.price.lookup_key ?? null,
              nickname: item.price.nickname ?? null,
              metadata: item.price.metadata ?? {},
            },
          })),
          has_more: false,
          url: `/v1/subscription_items?subscription=${s.id}`,
        },
      }));
    }

    if (path === "/v1/products") {
      const ids = url.searchParams.getAll("ids[]");
      if (ids.length && url.searchParams.has("starting_after"))
        return stripeError(res, 400, "invalid_request_error", "You cannot use `ids` with `starting_after`.", "parameter_invalid_string");
      const found = (account.products ?? []).filter((p) => !ids.length || ids.includes(p.id));
      return page(res, url, path, found, (p) => ({ id: p.id, object: "product", name: p.name, metadata: p.metadata ?? {} }));
    }

    return stripeError(res, 404, "invalid_request_error", `Unrecognized request URL (GET: ${path}).`);
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  server.unref();
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
