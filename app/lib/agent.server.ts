// Server-only access to the account agent for the dashboard's loaders.
import { accountAgent } from "../../worker/agents/account-agent";
import type { Proposal } from "../../worker/types";

/** The account's open proposals, the same list the agent syncs as state. */
export async function openProposals(env: Env, accountId: string): Promise<Proposal[]> {
  return (await accountAgent(env, accountId)).getProposals();
}
