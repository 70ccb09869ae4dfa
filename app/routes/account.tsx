import { Outlet, type ShouldRevalidateFunctionArgs } from "react-router";
import { TopNav } from "../components/TopNav";
import { accountAccess, accountAccessContext, loadAccountAccess } from "../lib/access.server";
import type { AccountOutletContext } from "../lib/account";
import type { Route } from "./+types/account";

/** Checks the session and membership once, before any child loader or action runs. */
export const middleware: Route.MiddlewareFunction[] = [
  async ({ context, request, params }) => {
    context.set(accountAccessContext, await loadAccountAccess(context, request, params.account, "agent"));
  },
];

export async function loader({ context }: Route.LoaderArgs) {
  const { user, role, accountId } = accountAccess(context, "agent");
  const membership = user.memberships.find((m) => m.accountId === accountId);
  return {
    user: { id: user.id, name: user.name, email: user.email, memberships: user.memberships },
    role,
    account: { id: accountId, name: membership?.accountName ?? accountId },
  };
}

// Selecting a proposal only changes `?task=`; the layout data stays the same.
export function shouldRevalidate({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname) return false;
  return defaultShouldRevalidate;
}

export default function AccountLayout({ loaderData }: Route.ComponentProps) {
  const ctx: AccountOutletContext = loaderData;
  return (
    <div className="flex h-screen flex-col">
      <TopNav user={ctx.user} role={ctx.role} accountId={ctx.account.id} accountName={ctx.account.name} />
      <main className="min-h-0 flex-1">
        <Outlet context={ctx} />
      </main>
    </div>
  );
}
