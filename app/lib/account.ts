import { useOutletContext } from "react-router";
import type { Role, SessionUser } from "../../worker/domain/types";

export interface AccountOutletContext {
  user: Pick<SessionUser, "id" | "name" | "email" | "memberships">;
  role: Role;
  account: { id: string; name: string };
}

/** The signed-in user, their role and the account, for any route under /accounts/:account. */
function useAccount(): AccountOutletContext {
  return useOutletContext<AccountOutletContext>();
}
