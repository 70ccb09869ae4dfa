// Replay protection shared by every scheme that signs a timestamp.
import type { VerifyFailure } from "../types";

const TOLERANCE_SECONDS = 5 * 60;

/** Null when `ts` (unix seconds) is within five minutes of now, either way. */
export function checkTimestamp(ts: number, nowSeconds: number): VerifyFailure | null {
  if (!Number.isFinite(ts)) return "malformed timestamp";
  if (nowSeconds - ts > TOLERANCE_SECONDS) return "stale timestamp";
  if (ts - nowSeconds > TOLERANCE_SECONDS) return "future timestamp";
  return null;
}
