// How the rest of the Worker reaches an account's agent: one Durable Object per
// support account, addressed by the account id.
import { getAgentByName } from "agents";

export function accountAgent(env: Env, accountId: string) {
  return getAgentByName(env.SupportAgent, accountId);
}
