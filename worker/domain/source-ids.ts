// The help-desk sources we accept webhooks from. No imports: the seed script
// (Node, type stripping) reads this list too.
export const SOURCE_IDS = ["generic", "zendesk", "helpscout", "intercom", "front", "chatwoot", "zammad", "freshdesk"] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

export function isSourceId(value: string): value is SourceId {
  return (SOURCE_IDS as readonly string[]).includes(value);
}

/** The .dev.vars variable holding the demo account's signing secret for a source. */
export function demoSecretVar(source: SourceId): string {
  return source === "generic" ? "DEMO_WEBHOOK_SECRET" : `DEMO_${source.toUpperCase()}_SECRET`;
}
