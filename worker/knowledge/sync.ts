// Imports an account's knowledge from the help desks it connected: every
// source with outbound credentials and a knowledge reader (integrations
// registry) is listed in full, and the store keeps what changed. Runs on the
// account agent's schedule and when an admin presses "Sync now"; each run's
// result is recorded for the Knowledge page.

import type { ArticleDraft } from "../domain/knowledge";
import { outboundSettings } from "../integrations/connector-settings";
import { KNOWLEDGE } from "../integrations/registry";
import type { SourceId } from "../integrations/types";
import type { SemanticEnv } from "./semantic";
import { recordSync, replaceSource, type SyncCounts } from "./store";

/** A source listing more than this is cut off there (and says so): one sync holds its list in memory. */
const MAX_ARTICLES_PER_SOURCE = 10_000;

export interface SyncResult {
  source: SourceId;
  status: "ok" | "failed" | "not_connected";
  counts: SyncCounts | null;
  error: string | null;
}

/** The sources an account could sync: connected with outbound credentials and able to list knowledge. */
export function knowledgeSources(): SourceId[] {
  return Object.keys(KNOWLEDGE) as SourceId[];
}

export async function syncSource(env: Env & SemanticEnv, accountId: string, source: SourceId): Promise<SyncResult> {
  const reader = KNOWLEDGE[source];
  if (!reader) return { source, status: "not_connected", counts: null, error: `${source} has no knowledge to import` };
  let settings: Awaited<ReturnType<typeof outboundSettings>>;
  try {
    settings = await outboundSettings(env, accountId, source);
  } catch (err) {
    return record(env, accountId, source, null, message(err));
  }
  if (!settings) return { source, status: "not_connected", counts: null, error: `${source} is not connected with outbound credentials` };
  const drafts: ArticleDraft[] = [];
  let truncated = false;
  try {
    const ctx = {
      baseUrl: settings.baseUrl,
      credentials: settings.credentials,
      idempotencyKey: `knowledge-sync:${accountId}:${source}`,
      fetch: (i: RequestInfo | URL, init?: RequestInit) => fetch(i, init),
    };
    for await (const article of reader.list(ctx)) {
      if (drafts.length >= MAX_ARTICLES_PER_SOURCE) {
        truncated = true;
        break;
      }
      drafts.push(article);
    }
  } catch (err) {
    // Nothing is deleted on a failed listing: a half list would look like deletions.
    return record(env, accountId, source, null, message(err));
  }
  const counts = await replaceSource(env, accountId, source, drafts);
  return record(env, accountId, source, counts, truncated ? `stopped at ${MAX_ARTICLES_PER_SOURCE} articles` : null, truncated ? "ok" : undefined);
}

/** Syncs every connected source of the account, one after the other. */
export async function syncAll(env: Env & SemanticEnv, accountId: string): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const source of knowledgeSources()) results.push(await syncSource(env, accountId, source));
  return results;
}

async function record(
  env: Env,
  accountId: string,
  source: SourceId,
  counts: SyncCounts | null,
  error: string | null,
  status: "ok" | "failed" = error ? "failed" : "ok",
): Promise<SyncResult> {
  await recordSync(env, accountId, source, { counts, error, status });
  return { source, status, counts, error };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
