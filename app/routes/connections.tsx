// Your connections: each person connects their own help-desk identity (OAuth),
// so replies they approve go out under their name. The page shows scopes asked
// and granted and when the token expires or was last refreshed; never a token.
import { useFetcher, useSearchParams } from "react-router";
import { disconnectMine, myConnections, type ProviderConnections } from "../../worker/http/dashboard";
import { ActionStatus } from "../components/ActionStatus";
import { ErrorView } from "../components/ErrorView";
import { Section } from "../components/Section";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import { primaryButton, secondaryButton } from "../lib/connectors";
import { utcStamp } from "../lib/format";
import { type IntentResponse, intentAction } from "../lib/intent-action.server";
import type { Route } from "./+types/connections";

export const meta: Route.MetaFunction = () => [{ title: "Your connections · Support Triage" }];

type ConnectionsActionResponse = IntentResponse<"disconnect">;

export async function loader({ context }: Route.LoaderArgs) {
  const { user, accountId } = accountAccess(context, "agent");
  try {
    return { providers: await myConnections(envOf(context), user, accountId) };
  } catch (err) {
    toRouteError(err);
  }
}

export const action = intentAction<ConnectionsActionResponse>({
  role: "agent",
  handlers: {
    disconnect: async ({ env, user, accountId, text }) => {
      const { revoked } = await disconnectMine(env, user, accountId, text("provider"));
      return revoked ? "Disconnected" : "Nothing was connected";
    },
  },
});

export default function Connections({ loaderData, params }: Route.ComponentProps) {
  const [search] = useSearchParams();
  const connected = search.get("connected");
  const base = `/accounts/${encodeURIComponent(params.account)}/connections`;
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1000px] space-y-4 p-6">
        <div className="flex items-baseline justify-between gap-4">
          <h1 className="text-base font-semibold">Your connections</h1>
          <p className="max-w-[560px] text-right text-xs text-neutral-500">
            Connect your own help-desk identity: replies you approve are then posted under your name. Without a connection they go out as the account&apos;s
            integration user. Tokens stay on the server, encrypted; admins can revoke them.
          </p>
        </div>
        {connected && loaderData.providers.some((p) => p.provider === connected && p.connection && !p.connection.scopesMissing.length) ? (
          <p
            role="status"
            className="rounded-md border border-emerald-200 bg-emerald-50 px-2.5 py-1.5 text-xs text-emerald-800"
            data-testid="connection-connected"
          >
            Connected. Replies you approve now go out under your name.
          </p>
        ) : null}
        {loaderData.providers.map((p) => (
          <ProviderCard key={p.provider} provider={p} actionUrl={base} startUrl={`${base}/${p.provider}/start`} />
        ))}
      </div>
    </div>
  );
}

function ProviderCard({ provider, actionUrl, startUrl }: { provider: ProviderConnections; actionUrl: string; startUrl: string }) {
  const fetcher = useFetcher<ConnectionsActionResponse>();
  const busy = fetcher.state !== "idle";
  const c = provider.connection;
  return (
    <Section title={provider.name} id={`connection-${provider.provider}`}>
      <div className="space-y-2 text-xs" data-testid={`connection-${provider.provider}`}>
        {c ? (
          <>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1.5 sm:grid-cols-4">
              <div>
                <dt className="text-[11px] text-neutral-500">Scopes asked</dt>
                <dd className="font-mono text-[11px]">{c.scopesAsked.join(" ")}</dd>
              </div>
              <div>
                <dt className="text-[11px] text-neutral-500">Scopes granted</dt>
                <dd className="font-mono text-[11px]" data-testid={`connection-granted-${provider.provider}`}>
                  {c.scopesGranted.join(" ") || "none"}
                </dd>
              </div>
              <div>
                <dt className="text-[11px] text-neutral-500">Access token expires</dt>
                <dd>{c.expiresAt ? utcStamp(c.expiresAt) : "no expiry given"}</dd>
              </div>
              <div>
                <dt className="text-[11px] text-neutral-500">Last refreshed</dt>
                <dd>{c.refreshedAt ? utcStamp(c.refreshedAt) : `never (connected ${utcStamp(c.connectedAt)})`}</dd>
              </div>
            </dl>
            {c.scopesMissing.length ? (
              <p
                className="rounded-md border border-amber-200 bg-amber-50 px-2.5 py-1.5 text-amber-900"
                data-testid={`connection-missing-${provider.provider}`}
              >
                Not granted: <span className="font-mono">{c.scopesMissing.join(" ")}</span>. Replies you approve will fail until you connect again and grant it.
              </p>
            ) : null}
            {c.lastError ? (
              <p className="rounded-md border border-red-200 bg-red-50 px-2.5 py-1.5 text-red-700" role="alert">
                The last refresh failed ({c.lastError}). Connect again.
              </p>
            ) : null}
            <div className="flex items-center gap-2">
              <a href={startUrl} className={secondaryButton} data-testid={`connection-reconnect-${provider.provider}`}>
                Connect again
              </a>
              <fetcher.Form method="post" action={actionUrl}>
                <input type="hidden" name="intent" value="disconnect" />
                <input type="hidden" name="provider" value={provider.provider} />
                <button type="submit" className={secondaryButton} disabled={busy} data-testid={`connection-disconnect-${provider.provider}`}>
                  {busy ? "Disconnecting…" : "Disconnect"}
                </button>
              </fetcher.Form>
              <ActionStatus response={fetcher.data} busy={busy} />
            </div>
          </>
        ) : provider.available ? (
          <div className="flex items-center gap-3">
            <a href={startUrl} className={primaryButton} data-testid={`connection-connect-${provider.provider}`}>
              Connect your {provider.name}
            </a>
            <span className="text-neutral-500">
              Asks for <span className="font-mono">{provider.scopesAsked.join(" ")}</span>.
            </span>
          </div>
        ) : (
          <p className="text-neutral-600" data-testid={`connection-unavailable-${provider.provider}`}>
            Not available in this account yet: an admin must switch the {provider.name} connector on and enter its OAuth client ID and secret.
          </p>
        )}
      </div>
    </Section>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
