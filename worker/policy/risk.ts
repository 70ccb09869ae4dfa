// What makes a proposal risky to send without a person: in the draft, any
// clause that spends money, changes an account, or commits us legally, on
// security or to a date; in the ticket, a customer asking for money or an
// account change, threatening legal action, angry, asking for a human, or
// trying to instruct the model. Any flag, from either, means a person must
// decide, whatever the account's auto-send setting.

export interface RiskFlag {
  kind:
    | "refund"
    | "credit"
    | "money"
    | "account_change"
    | "legal"
    | "security"
    | "date_promise"
    | "legal_threat"
    | "anger"
    | "human_request"
    | "prompt_injection";
  /** The words that matched, for the reviewer. */
  match: string;
  /** Where: the customer's ticket, or the drafted reply. */
  source?: "ticket" | "draft";
  /** Set when the classifier, not a wording rule, found it: its calibrated probability. */
  confidence?: number;
}

const RULES: { kind: RiskFlag["kind"]; pattern: RegExp }[] = [
  { kind: "refund", pattern: /\b(refund(?:ed|ing|s)?|reimburs\w*|money back|chargeback)\b/i },
  { kind: "credit", pattern: /\b(credit(?:ed|s)?|voucher|coupon|discount|compensat\w*|free (?:month|months|upgrade|of charge))\b/i },
  { kind: "money", pattern: /(?:[$€£]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:usd|eur|gbp|dollars?|euros?|pounds?)\b|\b(?:waive|waived|waiving)\b)/i },
  {
    kind: "account_change",
    pattern:
      /\b(cancel(?:led|ed|ling|ing)?|upgrad(?:e|ed|ing)|downgrad(?:e|ed|ing)|delet(?:e|ed|ing)|clos(?:e|ed|ing) (?:your|the) account|reactivat\w*|transfer(?:red)? (?:your|the) (?:account|ownership)|reset (?:your|the) (?:account|data))\b/i,
  },
  {
    kind: "legal",
    pattern:
      /\b(legal(?:ly)?|lawyer|attorney|liab(?:le|ility)|warrant(?:y|ies)|indemnif\w*|sla credit|contract(?:ual(?:ly)?)?|gdpr|terms of service|we accept responsibility)\b/i,
  },
  {
    kind: "security",
    pattern:
      /\b(we (?:will|have) (?:patched|fixed)|no data (?:was|were) (?:accessed|leaked|exposed)|your data is safe|breach|vulnerabilit\w*|guarantee(?:d|s)?)\b/i,
  },
  {
    kind: "date_promise",
    pattern:
      /\b(by (?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|end of (?:day|week|month))|within \d+ (?:business )?days|on (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}|next (?:week|release|sprint)|will be (?:fixed|resolved|shipped|released) (?:by|on|in))\b/i,
  },
];

/** What only a ticket can carry: hard stops that always need a person. */
const TICKET_RULES: { kind: RiskFlag["kind"]; pattern: RegExp }[] = [
  {
    kind: "legal_threat",
    pattern:
      /\b(su(?:e|ing) (?:you|your company)|lawsuit|legal action|take (?:you|this) to court|small claims|my (?:lawyer|attorney|solicitor)|class action|report (?:you|this) to the (?:ftc|bbb|authorities|regulator)|anwalt|abogado|avocat|advogado|avvocato|klage|demanda|poursuite)\b/i,
  },
  {
    kind: "anger",
    pattern:
      /\b(unacceptable|ridiculous|outrageous|furious|disgusting|pathetic|scam(?:mers?)?|fraud(?:ulent)?|worst (?:service|company|support)|fed up|sick of|wtf|f+u+c+k\w*|sh[i1]t+\w*|crap|idiots?|incompetent|unversch[äa]mt|inaceptable|inadmissible|inaceit[áa]vel|vergogna)\b|!!!/i,
  },
  {
    kind: "human_request",
    pattern:
      /\b(speak|talk|chat) (?:to|with) (?:a |an |your )?(?:human|real person|person|manager|supervisor|someone real)|(?:not|no) (?:a |more )?(?:bot|robot|ai|automated (?:reply|answer))|echte[nr]? (?:mensch|person)|persona real|vrai humain|pessoa real/i,
  },
  {
    kind: "prompt_injection",
    pattern:
      /\b(ignore|disregard|forget|override) (?:all |any |the |your |previous |prior |above )*(?:instructions|rules|prompts?|guidelines|policy)|system prompt|you are now|act as (?:an? )?(?:admin|administrator|developer|system)|(?:send|approve) (?:it|this|the reply) (?:now|immediately|without (?:review|approval))|developer mode|jailbreak|<\/?(?:system|assistant|instructions)>|ignoriere (?:alle )?(?:vorherigen )?anweisungen|ignora (?:las |todas las )?instrucciones|ignore[zr]? (?:les |toutes les )?instructions/i,
  },
];

function matchAll(text: string, rules: { kind: RiskFlag["kind"]; pattern: RegExp }[], source: RiskFlag["source"]): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const rule of rules) {
    const m = text.match(rule.pattern);
    if (m) flags.push({ kind: rule.kind, match: m[0].slice(0, 80), ...(source ? { source } : {}) });
  }
  return flags;
}

/** Risky clauses in a drafted reply. */
export function detectRisk(text: string): RiskFlag[] {
  return matchAll(text, RULES, undefined);
}

/**
 * The risk of a proposal: the ticket (what the customer asks for, and the hard
 * stops) and the draft (what we would promise), each flag saying where it is.
 */
export function proposalRisk(ticket: { subject: string; body: string }, draft: string | null): RiskFlag[] {
  const asked = `${ticket.subject}\n${ticket.body}`;
  return [
    ...matchAll(asked, [...TICKET_RULES, ...RULES.filter((r) => r.kind !== "date_promise" && r.kind !== "security")], "ticket"),
    ...(draft ? matchAll(draft, RULES, "draft") : []),
  ];
}
