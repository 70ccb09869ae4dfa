// Writes a sensible first response from the ticket, its category and the
// customer's entitlement. The offline model drafts with this; it promises no
// refunds, dates or fixes, only what the support team can stand behind.
import type { Entitlement } from "../../domain/types";
import type { Category } from "./classify";

export interface ReplyFacts {
  requesterName: string;
  subject: string;
  category: Category;
  entitlement: Entitlement | null;
  accountName: string;
  handoffQueue: string | null;
  /** The reviewer's notes from earlier rounds, newest last. */
  revisionNotes: string[];
}

const CATEGORY_LINE: Record<Category, string> = {
  outage: "I'm sorry for the disruption. Our engineering team has been alerted and is investigating right now; we will keep you updated here as we learn more.",
  security: "Thank you for reporting this responsibly. I've passed it to our security team, who review every report with priority.",
  billing:
    "I've pulled up your billing history and I'm looking into the charges you mentioned. I'll confirm exactly what happened before making any changes to your account.",
  "account-access":
    "I can help you get back into your account. For your security, please use the reset link on the sign-in page; if it doesn't arrive within a few minutes, check your spam folder and let me know.",
  bug: "Thanks for the detailed report. I'm reproducing the issue on our side and will share what we find, including a workaround if there is one.",
  "data-privacy":
    "I've logged your data request. We handle these under our privacy policy and will confirm each step with you before anything is exported or deleted.",
  api: "I'm checking your API usage and the limits on your workspace, and will come back with specifics for your integration.",
  cancellation:
    "I'm sorry to hear you're thinking of leaving. I'll make sure your request is handled correctly and that you know exactly what happens to your data and billing.",
  "feature-request": "Thank you for the suggestion. I've shared it with our product team, who read every request when planning the roadmap.",
  general: "I'm looking into this and will get back to you with a full answer.",
};

function firstName(name: string): string {
  const first = name.trim().split(/\s+/)[0];
  return first && first.length <= 40 ? first : "there";
}

function slaLine(e: Entitlement | null): string {
  if (!e || e.tier === "unknown") return `We usually reply in full within ${e?.slaHours ?? 48} hours.`;
  if (e.tier === "enterprise") {
    return `As ${e.company ?? "an enterprise"} customer, your account team has been looped in and you'll hear from us within ${e.slaHours} hours.`;
  }
  return `On your ${e.plan} plan you'll have a full answer within ${e.slaHours} hours.`;
}

/** A short quoted phrase from a reviewer note ("say \"…\"") that is meant for the customer. */
function quotedPhrases(notes: string[]): string[] {
  const phrases: string[] = [];
  for (const note of notes) for (const m of note.matchAll(/["“]([^"”]{3,300})["”]/g)) phrases.push(m[1]!.trim());
  return phrases;
}

/** "Acme" signs as "Acme Support"; "Demo Support" stays as it is. */
function signature(accountName: string): string {
  return /\b(support|help|helpdesk|team|care)\b/i.test(accountName) ? accountName : `${accountName} Support`;
}

export function composeHoldingReply(f: ReplyFacts): string {
  const revised = f.revisionNotes.length > 0;
  const greeting = revised ? `Hello ${firstName(f.requesterName)},` : `Hi ${firstName(f.requesterName)},`;
  const lines = [greeting, "", `Thank you for contacting us about "${f.subject.trim()}". ${CATEGORY_LINE[f.category]}`];
  // A revision writes a fuller reply and carries over any wording the reviewer quoted.
  const quoted = quotedPhrases(f.revisionNotes);
  if (quoted.length) lines.push("", quoted.join(" "));
  if (revised && !quoted.length) {
    lines.push("", "I want to make sure we get this right for you, so a specialist is reviewing your case personally.");
  }
  if (f.handoffQueue) lines.push("", `I've shared the details with our ${f.handoffQueue} team so nothing gets lost.`);
  lines.push("", slaLine(f.entitlement), "", "Best regards,", signature(f.accountName));
  return lines.join("\n");
}
