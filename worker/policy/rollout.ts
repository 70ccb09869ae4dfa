// The rollout gate: a stable share of tickets, chosen by ticket id, so the
// same ticket is always in or out whatever the delivery.

/** A number in [0, 100) derived from the ticket's key (FNV-1a, stable across runs). */
export function rolloutBucket(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100;
}

export function inRollout(percent: number, key: string): boolean {
  return rolloutBucket(key) < Math.max(0, Math.min(100, percent));
}
