// A human decision on a proposal, from the dashboard or the REST API. The
// account agent owns the approval gate; this checks who is asking first.
import { HttpError } from "../domain/errors";
import type { DecisionInput, DecisionResult, SessionUser } from "../domain/types";
import { requireRole } from "../identity/session";
import { accountAgent } from "./stubs";

/**
 * A person's decision through REST or the dashboard's form: who they are and
 * their role are checked here, everything else in the account agent's one
 * decision gate (worker/agent/decision-gate.ts), which the WebSocket uses too.
 */
export async function decideTask(env: Env, user: SessionUser, accountId: string, taskId: string, input: DecisionInput): Promise<DecisionResult> {
  requireRole(user, accountId, "agent");
  const result = await (await accountAgent(env, accountId)).decide(taskId, input, { userId: user.id, email: user.email });
  if ("error" in result) {
    const retry = result.retryAfter;
    throw new HttpError(result.status, result.error, retry ? { retryAfter: retry } : undefined, retry ? { "retry-after": String(retry) } : undefined);
  }
  return result;
}
