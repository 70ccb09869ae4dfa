// The tagged-template SQL helper every store in this folder is written
// against: the Agents SDK's `this.sql` in the account agent, and `sqlOf()`
// over a plain Durable Object's storage in the ticket drafter.
export type SqlValue = string | number | boolean | null;
export type Sql = <T = Record<string, SqlValue>>(strings: TemplateStringsArray, ...values: SqlValue[]) => T[];

/** `this.sql`-style queries over a Durable Object's SQLite (booleans stored as 0/1). */
export function sqlOf(storage: DurableObjectStorage): Sql {
  return <T>(strings: TemplateStringsArray, ...values: SqlValue[]) =>
    storage.sql.exec(strings.join("?"), ...values.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v))).toArray() as T[];
}

export const nowIso = () => new Date().toISOString();
