// Who is on the other end of an agent WebSocket. The Worker checks the session
// before the upgrade and hands the identity to the Durable Object in a header
// only it sets; a connection can live for hours, so anything that acts on it
// (decideAsConnection) asks again whether that session and membership still hold.
import type { Role } from "../domain/types";
import { type LoadedSession, loadSessionById } from "./session";

export interface ConnectionIdentity {
  email: string;
  /** The role at connect time; currentConnectionRole gives the role now. */
  role: Role;
  userId?: string;
  /** The session's id (SHA-256 of its token), so a revoked session stops acting. */
  sessionId?: string;
}

export function connectionIdentity(session: LoadedSession, role: Role): ConnectionIdentity {
  return { email: session.user.email, role, userId: session.user.id, sessionId: session.sessionId };
}

/**
 * The connection's role in the account now, or null when its session has ended
 * (signed out, signed out everywhere, expired, idle) or the user left the account.
 */
export async function currentConnectionRole(env: Env, identity: ConnectionIdentity, accountId: string): Promise<Role | null> {
  if (!identity.sessionId) return null;
  const session = await loadSessionById(env, identity.sessionId);
  if (!session || session.user.email !== identity.email) return null;
  return session.user.memberships.find((m) => m.accountId === accountId)?.role ?? null;
}
