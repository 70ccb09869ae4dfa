// What the knowledge importers (<vendor>/knowledge.ts) share: following a
// list's pages to the end, a vendor's "next" link turned into a path under
// the connector's base URL, and the vendor's locales and timestamps in our
// terms. A list that does not end is an error, never a silent cut: the sync
// deletes what a listing leaves out.
import { OutboundError } from "../types";

/** More pages than any help desk we import from should ever need (100 items a page). */
const MAX_PAGES = 1000;

export interface Page<T> {
  items: T[];
  /** The next page's path under the base URL, null on the last page. */
  next: string | null;
}

/** Every item of every page, starting at `first`; `fetchPage` reads one page. */
export async function* allPages<T>(vendor: string, first: string, fetchPage: (path: string) => Promise<Page<T>>): AsyncGenerator<T> {
  const seen = new Set<string>();
  for (let path: string | null = first; path !== null; ) {
    if (seen.has(path) || seen.size >= MAX_PAGES) {
      throw new OutboundError(`${vendor} API listing did not end (${seen.size} pages, ${path.split("?")[0]} again)`, null, false);
    }
    seen.add(path);
    const page: Page<T> = await fetchPage(path);
    yield* page.items;
    path = page.next;
  }
}

/**
 * A vendor's next-page link (absolute, on whatever host the vendor names) as a
 * path and query under our base URL: credentials only ever go to the base URL
 * the admin saved. A base URL with a path (a self-hosted help desk under
 * /support, the local fake) is not repeated.
 */
export function nextPath(baseUrl: string, next: unknown): string | null {
  if (typeof next !== "string" || next.trim() === "") return null;
  let url: URL;
  let base: URL;
  try {
    base = new URL(baseUrl);
    url = new URL(next, base);
  } catch {
    return null;
  }
  const prefix = base.pathname.replace(/\/+$/, "");
  const path = prefix && url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname;
  return `${path}${url.search}`;
}

/** The ISO 639-1 code of a vendor locale ("de-de", "pt_BR", "en-US" → "de", "pt", "en"), null when it has none. */
export function languageOf(locale: unknown): string | null {
  if (typeof locale !== "string") return null;
  const m = /^([a-z]{2})(?:$|[-_])/i.exec(locale.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** Unix seconds (Intercom, Chatwoot, Front) as ISO 8601; null when absent. */
export function isoFromUnix(seconds: unknown): string | null {
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

/** A vendor's date string as ISO 8601; null when absent or unreadable. */
export function isoFromString(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/** The later of two ISO timestamps (either may be null). */
export function latest(a: string | null, b: string | null): string | null {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

/** Strings only, trimmed, no empties: vendors' tag and keyword lists. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((v) => (typeof v === "string" && v.trim() ? [v.trim()] : [])) : [];
}
