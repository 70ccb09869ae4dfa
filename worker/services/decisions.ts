// A human decision on a proposal, from the dashboard or the REST API. The
// account agent owns the approval gate; this checks who is asking first.
import { z } from "zod";
import { accountAgent } from "../agent/stubs";
import { requireRole } from "../auth/session";
import { cleanCustomerText, hasVisibleText } from "../lib/customer-text";
import { HttpError } from "../lib/http";
import type { DecisionInput, DecisionResult, SessionUser } from "../types";

/** Reply text: control and invisible characters removed; what remains must be visible. */
const visibleText = (max: number, what: string) =>
  z
    .string()
    .max(max)
    .transform(cleanCustomerText)
    .refine(hasVisibleText, `${what} has no visible text (only spaces, control or invisible characters)`);

export const decisionInputSchema = z
  .object({
    action: z.enum(["approve", "edit", "reject", "revise"]),
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
      fields: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return parsed.data;
}

/**
 * A person's decision through REST or the dashboard's form: who they are and
 * their role are checked here, everything else in the account agent's one
 * decision gate (worker/agent/decision-gate.ts), which the WebSocket uses too.
 */
export async function decideTask(
  env: Env,
  user: SessionUser,
  accountId: string,
  taskId: string,
  input: DecisionInput,
): Promise<DecisionResult> {
  requireRole(user, accountId, "agent");
  const result = await (await accountAgent(env, accountId)).decide(taskId, input, { userId: user.id, email: user.email });
  if ("error" in result) {
    const retry = result.retryAfter;
    throw new HttpError(result.status, result.error, retry ? { retryAfter: retry } : undefined, retry ? { "retry-after": String(retry) } : undefined);
  }
  return result;
}
