// Server-only glue between React Router and the Worker: env access, sessions,
// and turning HttpError into responses the ErrorBoundary understands.
import { createContext, data, type RouterContextProvider, redirect } from "react-router";
import { HttpError } from "../../worker/domain/errors";
import type { Role, SessionUser } from "../../worker/domain/types";
import { cloudflareContext, getSessionUser, requireRole } from "../../worker/http/dashboard";

type Ctx = Readonly<RouterContextProvider>;

export function envOf(context: Ctx): Env {
  return context.get(cloudflareContext).env;
}

/** The signed-in user, or a redirect to /login. */
export async function requireSignedIn(context: Ctx, request: Request): Promise<SessionUser> {
  const user = await getSessionUser(envOf(context), request);
  if (!user) throw redirect("/login");
  return user;
}

/** Rethrows an HttpError as a route error response with the same status. */
export function toRouteError(err: unknown): never {
  if (err instanceof HttpError) {
    throw data(err.message, { status: err.status, statusText: statusText(err.status) });
  }
  throw err;
}

function statusText(status: number): string {
  return { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict" }[status] ?? "Error";
}

/** The membership check of one account route, set by the account layout's middleware. */
export interface AccountAccess {
  user: SessionUser;
  accountId: string;
  role: Role;
}
export const accountAccessContext = createContext<AccountAccess>();

/** Signed in and at least `min` in the account, or a redirect / 403 / 404. */
export async function loadAccountAccess(context: Ctx, request: Request, accountId: string, min: Role = "agent"): Promise<AccountAccess> {
  const user = await requireSignedIn(context, request);
  try {
    return { user, accountId, role: requireRole(user, accountId, min) };
  } catch (err) {
    toRouteError(err);
  }
}

/** In child loaders/actions: the access the layout middleware established, raised to `min`. */
export function accountAccess(context: Ctx, min: Role = "agent"): AccountAccess {
  const access = context.get(accountAccessContext);
  try {
    requireRole(access.user, access.accountId, min);
  } catch (err) {
    toRouteError(err);
  }
  return access;
}
