// Deterministic reading of a ticket: category, priority and a one-line summary.
// Used by the `summarize_context` tool, so both the offline and the OpenAI
// model get the same structured context.
import type { Category } from "../../domain/enums";
import type { Priority } from "../../domain/types";

export type { Category };

const RULES: { category: Category; words: RegExp }[] = [
  { category: "outage", words: /\b(outage|is down|are down|went down|not loading|unavailable|all (of )?our users|502|503|degraded)\b/i },
  { category: "security", words: /\b(vulnerab\w*|security|breach|exploit|xss|csrf|injection|leak(ed)?|phishing|compromised)\b/i },
  { category: "billing", words: /\b(refund|charged?|charge[sd]|invoice|payment|billing|vat|receipt|credit card|overcharg\w*|subscription fee)\b/i },
  { category: "account-access", words: /\b(password|log ?in|sign ?in|2fa|two-factor|locked out|reset link|sso)\b/i },
  { category: "data-privacy", words: /\b(gdpr|data export|export (all )?(my|our) data|delete (my|our) (data|account)|dpa|privacy)\b/i },
  { category: "api", words: /\b(api|rate limit|webhook|sdk|endpoint|429|token)\b/i },
  { category: "cancellation", words: /\b(cancel\w*|close my account|downgrade|terminate)\b/i },
  { category: "bug", words: /\b(bug|error|crash\w*|broken|exception|doesn't work|does not work|stack trace|steps to reproduce)\b/i },
  { category: "feature-request", words: /\b(feature request|would be (great|nice)|could you add|please add|roadmap|wish)\b/i },
];

export function classify(subject: string, body: string): { category: Category; matched: boolean } {
  const text = `${subject}\n${body}`;
  for (const rule of RULES) if (rule.words.test(text)) return { category: rule.category, matched: true };
  return { category: "general", matched: false };
}

const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** The ticket's own priority, raised for categories that cannot wait. */
export function effectivePriority(declared: Priority | undefined, category: Category): Priority {
  const floor: Priority = category === "outage" ? "urgent" : category === "security" ? "high" : "low";
  const given = declared ?? "normal";
  return PRIORITY_RANK[given] >= PRIORITY_RANK[floor] ? given : floor;
}

/** First sentence (or first 200 characters) of the body, whitespace collapsed. */
export function oneLineSummary(subject: string, body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  const sentence = flat.match(/^(.{20,200}?[.!?])(\s|$)/)?.[1] ?? flat.slice(0, 200);
  return `${subject.trim()}: ${sentence}${sentence.length < flat.length && !/[.!?]$/.test(sentence) ? "…" : ""}`;
}

/** Where an internal handoff goes for a category. */
export function handoffQueue(category: Category): string {
  switch (category) {
    case "outage":
    case "bug":
    case "api":
      return "engineering";
    case "security":
      return "security";
    case "billing":
    case "cancellation":
      return "billing";
    case "data-privacy":
      return "privacy";
    default:
      return "tier-2";
  }
}
