// English: the reference text; the other languages say the same things in their own words.
import type { PhraseBook } from "./phrase-book";

export const en: PhraseBook = {
  greeting: (name) => `Hi ${name ?? "there"},`,
  revisedGreeting: (name) => `Hello ${name ?? "there"},`,
  thanks: (subject) => `Thank you for contacting us about "${subject}".`,
  categoryLines: {
    outage:
      "I'm sorry for the disruption. Our engineering team has been alerted and is investigating right now; we will keep you updated here as we learn more.",
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
  },
  specialistReviewing: "I want to make sure we get this right for you, so a specialist is reviewing your case personally.",
  handoff: (queue) => `I've shared the details with our ${queue} team so nothing gets lost.`,
  slaUnknown: (hours) => `We usually reply in full within ${hours} hours.`,
  slaEnterprise: (company, hours) =>
    `As ${company ?? "an enterprise"} customer, your account team has been looped in and you'll hear from us within ${hours} hours.`,
  slaPlan: (plan, hours) => `On your ${plan} plan you'll have a full answer within ${hours} hours.`,
  guideIntro: "Here is what our guide says:",
  readMore: "You can read the whole article here:",
  notSolved: "If this doesn't solve it, reply and we'll take it from there.",
  signOff: "Best regards,",
  supportWords: /\b(support|help|helpdesk|team|care)\b/i,
  supportSignature: (accountName) => `${accountName} Support`,
};
