import { useRef } from "react";
import { Form, Link, NavLink } from "react-router";
import type { Role, SessionUser } from "../../worker/domain/types";
import { AccountSwitcher } from "./AccountSwitcher";
import { Logo } from "./Logo";

interface Props {
  user: Pick<SessionUser, "name" | "email" | "memberships">;
  role: Role;
  accountId: string;
  accountName: string;
}

const tab = ({ isActive }: { isActive: boolean }) =>
  [
    "rounded-md px-2.5 py-1 text-xs font-medium transition-colors",
    isActive ? "bg-neutral-100 text-neutral-900" : "text-neutral-600 hover:bg-neutral-50 hover:text-neutral-900",
  ].join(" ");

export function TopNav({ user, role, accountId, accountName }: Props) {
  const base = `/accounts/${encodeURIComponent(accountId)}`;
  const canSeeInsights = role === "lead" || role === "admin";
  const canManageConnectors = role === "admin"; // connectors and operations
  const menu = useRef<HTMLDetailsElement>(null);
  const closeMenu = () => {
    if (menu.current) menu.current.open = false;
  };

  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b border-neutral-200 bg-white px-4">
      <div className="flex items-center gap-2">
        <Logo />
        <span className="text-sm font-semibold tracking-tight">Support Triage</span>
      </div>

      {user.memberships.length > 1 ? (
        <AccountSwitcher memberships={user.memberships} current={accountId} />
      ) : (
        <span className="rounded-md bg-neutral-100 px-2 py-0.5 text-xs font-medium text-neutral-700">{accountName}</span>
      )}

      <nav aria-label="Main" className="flex items-center gap-1">
        <NavLink to={`${base}/queue`} className={tab} data-testid="nav-queue">
          Review queue
        </NavLink>
        {canSeeInsights ? (
          <NavLink to={`${base}/insights`} className={tab} data-testid="nav-insights">
            Insights
          </NavLink>
        ) : null}
        {canSeeInsights ? (
          <NavLink to={`${base}/samples`} className={tab} data-testid="nav-samples">
            Samples
          </NavLink>
        ) : null}
        <NavLink to={`${base}/knowledge`} className={tab} data-testid="nav-knowledge">
          Knowledge
        </NavLink>
        {canManageConnectors ? (
          <NavLink to={`${base}/connectors`} className={tab} data-testid="nav-connectors">
            Connectors
          </NavLink>
        ) : null}
        {canManageConnectors ? (
          <NavLink to={`${base}/operations`} className={tab} data-testid="nav-operations">
            Operations
          </NavLink>
        ) : null}
        {role === "admin" ? (
          <NavLink to={`${base}/members`} className={tab} data-testid="nav-members">
            Members
          </NavLink>
        ) : null}
      </nav>

      <div className="ml-auto flex items-center gap-3">
        <details ref={menu} className="relative" data-testid="user-menu">
          <summary
            className="cursor-pointer list-none rounded-md px-1.5 py-0.5 text-right leading-tight hover:bg-neutral-50 [&::-webkit-details-marker]:hidden"
            aria-label={`Account menu for ${user.name}`}
            data-testid="user-menu-toggle"
          >
            <div className="text-xs font-medium text-neutral-900" data-testid="user-name">
              {user.name}{" "}
              <span aria-hidden="true" className="text-neutral-400">
                ▾
              </span>
            </div>
            <div className="text-[11px] text-neutral-500">
              <span className="sr-only">Role: </span>
              <span data-testid="user-role">{role}</span> · {user.email}
            </div>
          </summary>
          <div className="absolute right-0 z-20 mt-1 w-60 rounded-md border border-neutral-200 bg-white p-1 text-xs shadow-lg">
            <Link
              to={`${base}/tokens`}
              onClick={closeMenu}
              className="block rounded px-2.5 py-1.5 text-neutral-800 hover:bg-neutral-50"
              data-testid="nav-tokens"
            >
              Personal API tokens
            </Link>
            <Link
              to={`${base}/connections`}
              onClick={closeMenu}
              className="block rounded px-2.5 py-1.5 text-neutral-800 hover:bg-neutral-50"
              data-testid="nav-connections"
            >
              Your connections
              <span className="block text-[11px] text-neutral-500">Your own help-desk login, so replies you approve go out under your name.</span>
            </Link>
            <Form method="post" action="/logout" onSubmit={closeMenu}>
              <input type="hidden" name="scope" value="everywhere" />
              <button
                type="submit"
                data-testid="sign-out-everywhere"
                className="block w-full rounded px-2.5 py-1.5 text-left text-neutral-800 hover:bg-neutral-50"
              >
                Sign out everywhere
                <span className="block text-[11px] text-neutral-500">Ends every session of yours, on every device. API tokens stay.</span>
              </button>
            </Form>
          </div>
        </details>
        <Form method="post" action="/logout">
          <button
            type="submit"
            data-testid="sign-out"
            className="h-7 rounded-md border border-neutral-300 bg-white px-2.5 text-xs font-medium text-neutral-700 hover:bg-neutral-50"
          >
            Sign out
          </button>
        </Form>
      </div>
    </header>
  );
}
