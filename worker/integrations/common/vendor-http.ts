// One way to call a help-desk API: JSON in, JSON out, a time budget per
// attempt, and a few quick in-process retries on 429 / 5xx / timeouts /
// network errors. Anything that still fails surfaces as an OutboundError whose
// `retryable` flag tells the Workflow step whether its own (slower) backoff
// should try again. Messages name the vendor, the status and the vendor's own
// error text; they never carry credentials, request bodies or auth headers.
import { type OutboundContext, OutboundError } from "../types";

type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface VendorRequest {
  method: HttpMethod;
  /** Path (and query) appended to `ctx.baseUrl`, starting with "/". Encode ids yourself. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as `application/json`. */
  json?: unknown;
}

export interface RetryOptions {
  /** Display name used in error messages, e.g. "Zendesk". */
  vendor?: string;
  /** Total attempts, including the first. Default 3. */
  attempts?: number;
  /** Time budget of one attempt. Default 10 s. */
  timeoutMs?: number;
  /** First backoff delay; doubles per attempt. Default 250 ms. */
  baseDelayMs?: number;
  /** Upper bound of one backoff delay. Default 5 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this stops the in-process retries (the Workflow step waits instead). Default 30 s. */
  maxRetryAfterSeconds?: number;
  /** Waits between attempts (tests inject a recorder). */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for HTTP-date Retry-After values. */
  now?: () => number;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

/**
 * An OutboundContext may carry retry overrides (tests inject `sleep`; callers
 * can shorten budgets). Connectors pass the context through unchanged.
 */
export type CallContext = OutboundContext & { retry?: RetryOptions };

export interface VendorResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON; null for an empty body; the raw text if the body is not JSON. */
  body: T | null;
}

const DEFAULTS = {
  attempts: 3,
  timeoutMs: 10_000,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterSeconds: 30,
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls the vendor and returns the parsed JSON body (null when the body is empty). */
export async function callVendor<T = unknown>(ctx: CallContext, req: VendorRequest, opts: RetryOptions = {}): Promise<T | null> {
  return (await callVendorRaw<T>(ctx, req, opts)).body;
}

/** Like callVendor, but also returns the status and headers (Help Scout answers with a `Resource-ID` header). */
export async function callVendorRaw<T = unknown>(ctx: CallContext, req: VendorRequest, opts: RetryOptions = {}): Promise<VendorResponse<T>> {
  const o = { ...DEFAULTS, ...defined(ctx.retry), ...defined(opts) };
  const vendor = o.vendor ?? "Help desk";
  const sleep = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const attempts = Number.isFinite(o.attempts) ? Math.max(1, Math.floor(o.attempts)) : DEFAULTS.attempts;
  const url = buildUrl(vendor, ctx.baseUrl, req.path);
  const redact = redactor(ctx.credentials);

  const headers: Record<string, string> = { accept: "application/json", ...req.headers };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(req.json);
  }

  for (let attempt = 1; ; attempt++) {
    const last = attempt >= attempts;
    const backoff = () => backoffMs(attempt, o.baseDelayMs, o.maxDelayMs, random);

    let res: Response;
    let text: string;
    try {
      res = await ctx.fetch(url, {
        method: req.method,
        headers,
        body,
        // A 3xx on a POST must not be followed: fetch would turn it into a GET and we
        // would read the moved resource as a success (Help Scout/Front answer 301 for
        // merged conversations).
        redirect: "manual",
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      // Reading the body is part of the attempt (and of its time budget).
      text = await res.text();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      const what = timedOut ? `timed out after ${o.timeoutMs} ms` : "network error";
      if (last) throw new OutboundError(redact(`${vendor} API ${req.method} ${pathOnly(req.path)} ${what} (${attempts} attempts)`), null, true);
      await sleep(backoff());
      continue;
    }

    const parsed = parseBody(text);

    if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, body: parsed as T | null };

    const detail = describeVendorError(parsed);
    const message = redact(
      `${vendor} API ${req.method} ${pathOnly(req.path)} failed: ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${detail ? ` - ${detail}` : ""}`,
    );

    if (res.status === 429 || res.status >= 500) {
      const retryAfter = parseRetryAfter(res.headers.get("retry-after"), now());
      if (retryAfter !== null && retryAfter > o.maxRetryAfterSeconds) {
        // Too long to wait inside a request: hand the delay to the Workflow step.
        throw new OutboundError(`${message} (retry after ${retryAfter} s)`, res.status, true, retryAfter);
      }
      if (last) throw new OutboundError(`${message} (${attempts} attempts)`, res.status, true, retryAfter);
      await sleep(retryAfter !== null ? retryAfter * 1000 : backoff());
      continue;
    }

    // Other 4xx (and unexpected 1xx/3xx): retrying the same request cannot help.
    throw new OutboundError(message, res.status, false);
  }
}

/** The options that are set (an explicit `undefined` must not erase a default). */
function defined(o: RetryOptions | undefined): RetryOptions {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as RetryOptions;
}

function buildUrl(vendor: string, baseUrl: string, path: string): string {
  const base = (baseUrl ?? "").trim().replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(base)) throw new OutboundError(`${vendor} base URL is not an http(s) URL`, null, false);
  if (/[{}]/.test(base)) throw new OutboundError(`${vendor} base URL still contains a placeholder: set your own domain in the connector settings`, null, false);
  return base + (path.startsWith("/") ? path : `/${path}`);
}

/** The path without its query string (queries may carry ids we do not need in messages). */
function pathOnly(path: string): string {
  return path.split("?")[0]!;
}

function backoffMs(attempt: number, base: number, cap: number, random: () => number): number {
  const ceiling = Math.min(cap, base * 2 ** (attempt - 1));
  // "Equal jitter": at least half the exponential delay, never more than the cap.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as seconds: delta-seconds or an HTTP date. Null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === "") return null;
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const MAX_DETAIL = 300;

/**
 * The vendor's own error text from the common shapes: Zendesk `{error, description, details}`,
 * Help Scout `{message, _embedded.errors[]}`, Intercom `{errors: [{code, message}]}`,
 * Front `{_error: {title, message}}`, Chatwoot `{error}` / `{message}`, Zammad
 * `{error, error_human}`, Freshdesk `{description, errors: [{field, message}]}` / `{code, message}`.
 */
function describeVendorError(parsed: unknown): string {
  const parts: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === "string" && v.trim() && !parts.includes(v.trim())) parts.push(v.trim());
  };
  const fieldError = (e: unknown) => {
    if (typeof e === "string") return add(e);
    if (!isObject(e)) return;
    const field = e.field ?? e.path ?? e.attribute;
    const msg = e.message ?? e.description ?? e.code;
    if (typeof msg === "string") add(typeof field === "string" && field ? `${field}: ${msg}` : msg);
  };

  if (isObject(parsed)) {
    const p = parsed;
    if (isObject(p._error)) {
      add(p._error.title);
      add(p._error.message);
    }
    if (typeof p.error === "string") add(p.error);
    else if (isObject(p.error)) {
      add(p.error.code);
      add(p.error.message);
    }
    add(p.error_human);
    add(p.description);
    add(p.message);
    if (typeof p.code === "string" && parts.length === 0) add(p.code);
    add(p.error_description);
    if (Array.isArray(p.errors)) p.errors.slice(0, 5).forEach(fieldError);
    if (isObject(p._embedded) && Array.isArray(p._embedded.errors)) p._embedded.errors.slice(0, 5).forEach(fieldError);
    if (isObject(p.details)) {
      for (const [field, list] of Object.entries(p.details).slice(0, 5)) {
        if (Array.isArray(list)) for (const e of list.slice(0, 3)) if (isObject(e)) add(`${field}: ${String(e.description ?? e.error ?? "")}`);
      }
    }
  } else if (typeof parsed === "string") {
    add(parsed.replace(/<[^>]*>/g, " ").replace(/\s+/g, " "));
  }

  const joined = parts.join("; ");
  return joined.length > MAX_DETAIL ? `${joined.slice(0, MAX_DETAIL)}…` : joined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Removes any credential value (and its Basic-auth encodings) that a vendor might echo back. */
function redactor(credentials: Record<string, string>): (s: string) => string {
  const secrets = Object.values(credentials ?? {}).filter((v) => typeof v === "string" && v.length >= 4);
  return (s: string) => {
    let out = s;
    for (const secret of secrets) out = out.split(secret).join("[redacted]");
    return out;
  };
}

// ── helpers the connectors share ───────────────────────────────────────────

/** Escapes text for an HTML (or Markdown) text node: &, < and >. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Plain text as HTML with line breaks: `a<br>b`. */
export function textToHtmlBreaks(text: string): string {
  return escapeHtml(text.replace(/\r\n?/g, "\n")).replace(/\n/g, "<br>");
}

/** Plain text as HTML paragraphs: blank lines separate `<p>`s, single newlines become `<br>`. */
export function textToHtmlParagraphs(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((para) => `<p>${escapeHtml(para).replace(/\n/g, "<br>")}</p>`)
    .join("");
}

/** HTTP Basic credentials, UTF-8 safe. */
export function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return `Basic ${btoa(s)}`;
}

/** The credential values a connector needs, or a non-retryable error naming the missing keys (never values). */
export function requireCredentials<K extends string>(vendor: string, credentials: Record<string, string>, keys: readonly K[]): Record<K, string> {
  const missing = keys.filter((k) => !credentials?.[k]?.trim());
  if (missing.length) throw new OutboundError(`${vendor} outbound credentials are missing: ${missing.join(", ")}`, null, false);
  return Object.fromEntries(keys.map((k) => [k, credentials[k]!.trim()])) as Record<K, string>;
}

/** A path segment from a vendor id. */
export function seg(id: string | number): string {
  return encodeURIComponent(String(id));
}

/** Numeric ids travel as numbers where the vendor's JSON uses numbers. */
export function numericOr(id: string): number | string {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/** A ticket's current tags plus ours, in order, without repeats (case-insensitive: vendors compare tags so). */
export function mergeTags(current: readonly string[], added: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of [...current, ...added]) {
    const key = t.trim().toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(t.trim());
  }
  return out;
}
