// Reads the Billing section's forms into the Worker's inputs (validated there:
// worker/domain/billing.ts). Field paths stay the schema's, so an error such
// as `mapping.rules.1.slaHours` lands beside the row's input.
import type { StripeSourceInput } from "../../../worker/domain/billing";

/** The mapping rows in form order (`rule.match`, `rule.tier`, `rule.slaHours`, `rule.plan` repeat per row). */
export function stripeInputFromForm(form: FormData, text: (name: string) => string): StripeSourceInput {
  const all = (name: string) => form.getAll(name).map((v) => (typeof v === "string" ? v : ""));
  const matches = all("rule.match");
  const tiers = all("rule.tier");
  const hours = all("rule.slaHours");
  const plans = all("rule.plan");
  const rules = matches.map((match, i) => {
    const raw = (hours[i] ?? "").trim();
    return {
      match,
      tier: tiers[i] ?? "",
      // A number when it reads as one; otherwise the text, which the schema refuses with "a number of hours".
      slaHours: raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw === "" ? undefined : raw,
      ...((plans[i] ?? "").trim() ? { plan: plans[i] } : {}),
    };
  });
  const metadataKey = text("metadataKey").trim();
  const apiBaseUrl = text("apiBaseUrl").trim();
  // Validated by the Worker: the casts only say which shape the form meant to send.
  return {
    apiKey: text("apiKey").trim(),
    webhookSecret: text("webhookSecret").trim(),
    ...(apiBaseUrl ? { apiBaseUrl } : {}),
    mapping: { rules: rules as StripeSourceInput["mapping"]["rules"], ...(metadataKey ? { metadataKey } : {}) },
  };
}
