import { useLocation, useNavigate } from "react-router";
import type { SessionUser } from "../../worker/domain/types";

/** A select that keeps the current section (queue / insights) when switching accounts. */
export function AccountSwitcher({ memberships, current }: { memberships: SessionUser["memberships"]; current: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  const section = location.pathname.split("/")[3] === "insights" ? "insights" : "queue";

  return (
    <div className="flex items-center">
      <label htmlFor="account-switcher" className="sr-only">
        Account
      </label>
      <select
        id="account-switcher"
        data-testid="account-switcher"
        value={current}
        onChange={(e) => {
          const target = memberships.find((m) => m.accountId === e.target.value);
          // Insights needs lead or admin; fall back to the queue elsewhere.
          const next = section === "insights" && target?.role === "agent" ? "queue" : section;
          navigate(`/accounts/${encodeURIComponent(e.target.value)}/${next}`);
        }}
        className="h-7 rounded-md border border-neutral-300 bg-white pl-2 pr-7 text-xs font-medium text-neutral-800 outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200"
      >
        {memberships.map((m) => (
          <option key={m.accountId} value={m.accountId}>
            {m.accountName} ({m.role})
          </option>
        ))}
      </select>
    </div>
  );
}
