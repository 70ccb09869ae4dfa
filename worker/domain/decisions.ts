// What a person may decide on a proposal, parsed from untrusted input (REST,
// dashboard form, WebSocket): the one schema every channel uses.
import { z } from "zod";
import { cleanCustomerText, hasVisibleText } from "./customer-text";
import { DECISION_ACTIONS } from "./enums";
import { fieldErrors, HttpError } from "./errors";
import type { DecisionInput } from "./types";

/** Reply text: control and invisible characters removed; what remains must be visible. */
const visibleText = (max: number, what: string) =>
  z.string().max(max).transform(cleanCustomerText).refine(hasVisibleText, `${what} has no visible text (only spaces, control or invisible characters)`);

const decisionInputSchema = z
  .object({
    action: z.enum(DECISION_ACTIONS),
    body: visibleText(20_000, "the edited reply").optional(),
    note: visibleText(2_000, "the note").optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.action === "edit" && !d.body) ctx.addIssue({ code: "custom", path: ["body"], message: "an edit needs the edited reply in `body`" });
    if (d.action === "revise" && !d.note) ctx.addIssue({ code: "custom", path: ["note"], message: "sending back needs a `note` for the agent" });
    if ((d.action === "approve" || d.action === "reject" || d.action === "revise") && d.body)
      ctx.addIssue({ code: "custom", path: ["body"], message: "`body` is only for action `edit`" });
  });

/** Parses untrusted input into a DecisionInput or throws a 400 naming the failing fields. */
export function parseDecision(raw: unknown): DecisionInput {
  const parsed = decisionInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpError(400, "invalid decision", {
      fields: fieldErrors(parsed.error),
    });
  }
  return parsed.data;
}
