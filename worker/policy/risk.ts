// Risky clauses in a draft: anything that spends money, changes an account,
// or commits us legally, on security or to a date. A draft with any of them
// always waits for a person, whatever the account's auto-send setting.

export interface RiskFlag {
  kind: "refund" | "credit" | "money" | "account_change" | "legal" | "security" | "date_promise";
  /** The words that matched, for the reviewer. */
  match: string;
}

const RULES: { kind: RiskFlag["kind"]; pattern: RegExp }[] = [
  { kind: "refund", pattern: /\b(refund(?:ed|ing|s)?|reimburs\w*|money back|chargeback)\b/i },
  { kind: "credit", pattern: /\b(credit(?:ed|s)?|voucher|coupon|discount|compensat\w*|free (?:month|months|upgrade|of charge))\b/i },
  { kind: "money", pattern: /(?:[$€£]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b|\b(?:waive|waived|waiving)\b)/i },
  {
    kind: "account_change",
    pattern: /\b(cancel(?:led|ed|ling|ing)?|upgrad(?:e|ed|ing)|downgrad(?:e|ed|ing)|delet(?:e|ed|ing)|clos(?:e|ed|ing) (?:your|the) account|reactivat\w*|transfer(?:red)? (?:your|the) (?:account|ownership)|reset (?:your|the) (?:account|data))\b/i,
  },
  { kind: "legal", pattern: /\b(legal(?:ly)?|lawyer|attorney|liab(?:le|ility)|warrant(?:y|ies)|indemnif\w*|sla credit|contract(?:ual(?:ly)?)?|gdpr|terms of service|we accept responsibility)\b/i },
  { kind: "security", pattern: /\b(we (?:will|have) (?:patched|fixed)|no data (?:was|were) (?:accessed|leaked|exposed)|your data is safe|breach|vulnerabilit\w*|guarantee(?:d|s)?)\b/i },
  {
    kind: "date_promise",
    pattern:
      /\b(by (?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|end of (?:day|week|month))|within \d+ (?:business )?days|on (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}|next (?:week|release|sprint)|will be (?:fixed|resolved|shipped|released) (?:by|on|in))\b/i,
  },
];

export function detectRisk(text: string): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const rule of RULES) {
    const m = text.match(rule.pattern);
    if (m) flags.push({ kind: rule.kind, match: m[0] });
  }
  return flags;
}
