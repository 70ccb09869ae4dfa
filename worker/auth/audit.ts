// One audit row for identity changes (members, invitations, API tokens).
import { getDb, schema } from "../db/client";
import type { Json } from "../types";

export async function auditIdentity(
  env: Env,
  accountId: string,
  actor: string,
  action: string,
  change: { before?: Json; after?: Json; artifact?: string },
): Promise<void> {
  await getDb(env)
    .insert(schema.auditEvents)
    .values({ accountId, actor, action, before: change.before ?? null, after: change.after ?? null, artifact: change.artifact ?? null });
}
