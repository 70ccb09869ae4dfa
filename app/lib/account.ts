import type { Role, SessionUser } from "../../worker/domain/types";

export interface AccountOutletContext {
  user: Pick<SessionUser, "id" | "name" | "email" | "memberships">;
  role: Role;
  account: { id: string; name: string };
}
