// Deterministic formatting (same output on the server and in the browser).

export function timeAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** "2026-11-21 17:50 UTC" — no locale or time zone so SSR and hydration agree. */
export function utcStamp(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function percent(confidence: number | null | undefined): string {
  if (confidence == null || Number.isNaN(confidence)) return "—";
  const value = confidence <= 1 ? confidence * 100 : confidence;
  return `${Math.round(value)}%`;
}

export function duration(ms: number | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function prettyJson(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function shortDay(day: string): string {
  // "2026-11-21" -> "11-21"
  return day.slice(5);
}

/** "2026-11-21 17:50:12 UTC": like utcStamp, to the second. */
export function utcSeconds(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "42 min", "3 h 5 min", "2 d 4 h": a span of whole minutes. */
function spanMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest ? `${h} h ${rest} min` : `${h} h`;
  }
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return h ? `${d} d ${h} h` : `${d} d`;
}

export type SlaTone = "overdue" | "near" | "ok";

/**
 * Time left to a first-response deadline: "due in 42 min" / "overdue by 5 min",
 * near when within `nearMinutes`. Null without a deadline.
 */
export function slaLeft(dueAt: string | null | undefined, now: number, nearMinutes = 60): { label: string; tone: SlaTone; minutes: number } | null {
  if (!dueAt) return null;
  const t = Date.parse(dueAt);
  if (Number.isNaN(t)) return null;
  const minutes = (t - now) / 60_000;
  if (minutes < 0) return { label: `overdue by ${spanMinutes(Math.max(1, Math.ceil(-minutes)))}`, tone: "overdue", minutes };
  return { label: `due in ${spanMinutes(Math.floor(minutes))}`, tone: minutes <= nearMinutes ? "near" : "ok", minutes };
}

/** "de" → "German", in English (the dashboard's language); the code itself when the browser does not know it. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
