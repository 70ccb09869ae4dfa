// How much a reviewer changed a draft before it went out: the character edit
// distance between the last draft shown and the text sent, normalised by the
// longer text, in per mille (0 = sent as drafted, 1000 = nothing kept).
//
// fastest-levenshtein: no dependencies, about 3 KB, MIT, Myers' bit-parallel
// Levenshtein (O(n·m/32)); widely used (webpack-cli, stylelint) and stable for
// years, so it needs little keeping. Writing our own would save nothing.
import { distance } from "fastest-levenshtein";

/**
 * The most characters of each text's differing middle that are compared
 * exactly. Past it the rest counts as wholly changed (an upper bound of the
 * distance), so a 20 000-character rewrite costs a bounded few milliseconds.
 */
const EXACT_UP_TO = 4_000;

/** The edit ratio of `sent` against `draft`, per mille; 0 when they are the same. */
export function editRatioPermille(draft: string, sent: string): number {
  if (draft === sent) return 0;
  const longest = Math.max(draft.length, sent.length);
  // Edits are usually local: the common start and end cost nothing to skip.
  let start = 0;
  while (start < draft.length && start < sent.length && draft[start] === sent[start]) start++;
  let end = 0;
  while (end < draft.length - start && end < sent.length - start && draft[draft.length - 1 - end] === sent[sent.length - 1 - end]) end++;
  const a = draft.slice(start, draft.length - end);
  const b = sent.slice(start, sent.length - end);
  // d(a1a2, b1b2) ≤ d(a1, b1) + max(|a2|, |b2|): exact on the first part, bounded on the rest.
  const rest = Math.max(a.length, b.length) - EXACT_UP_TO;
  const d = rest > 0 ? distance(a.slice(0, EXACT_UP_TO), b.slice(0, EXACT_UP_TO)) + rest : distance(a, b);
  // At least 1 for any change, so an edit never reads as "sent as drafted".
  return Math.min(1000, Math.max(1, Math.round((d / longest) * 1000)));
}
