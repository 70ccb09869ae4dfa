// SQL literals for the SQL files the scripts hand to `wrangler d1 execute`.

/** A single-quoted SQLite string literal (quotes doubled; NUL refused). */
export function sqlString(value: string): string {
  if (value.includes("\0")) throw new Error("NUL character in SQL string");
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQLite literal for a string, number, boolean or null. */
function sqlValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  return sqlString(value);
}

/** `(a, b, c)` of literals. */
export function sqlTuple(values: (string | number | boolean | null | undefined)[]): string {
  return `(${values.map(sqlValue).join(", ")})`;
}
