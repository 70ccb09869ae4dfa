// The consent page of the MCP server's OAuth flow (GET /oauth/authorize, the
// advertised authorization endpoint). An outside agent asks to act as the
// signed-in person in one of their accounts; they choose the account and the
// permissions, within what their role there allows. Logic: worker/mcp/consent.ts.

import { useMemo, useState } from "react";
import { data, Form, redirect, useNavigation } from "react-router";
import { HttpError } from "../../worker/domain/errors";
import { MCP_SCOPE_INFO, MCP_SCOPES, type McpScope, TOOL_SCOPE } from "../../worker/domain/mcp-scopes";
import { loadConsent, submitConsent } from "../../worker/http/dashboard";
import { ErrorView } from "../components/ErrorView";
import { Logo } from "../components/Logo";
import { envOf, toRouteError } from "../lib/access.server";
import { readFormData } from "../lib/form";
import type { Route } from "./+types/oauth.authorize";

export const meta: Route.MetaFunction = () => [{ title: "Connect an app · Support Triage" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  try {
    const outcome = await loadConsent(envOf(context), request);
    if (outcome.kind === "redirect") throw redirect(outcome.location, { headers: outcome.headers });
    return data(outcome.view, { headers: outcome.headers });
  } catch (err) {
    if (err instanceof Response) throw err;
    toRouteError(err);
  }
}

export async function action({ context, request }: Route.ActionArgs) {
  const form = await readFormData(request);
  try {
    const outcome = await submitConsent(envOf(context), request, form);
    if (outcome.kind === "redirect") return redirect(outcome.location, { headers: outcome.headers });
    return data({ error: "unexpected answer" }, { status: 500 });
  } catch (err) {
    if (err instanceof HttpError) return data({ error: err.message }, { status: err.status });
    throw err;
  }
}

/** The binding cookie and the anti-framing headers of beginConsent() must reach the browser. */
export function headers({ loaderHeaders, actionHeaders }: Route.HeadersArgs) {
  return actionHeaders && [...actionHeaders.keys()].length ? actionHeaders : loaderHeaders;
}

const toolsOf = (scope: McpScope) =>
  Object.entries(TOOL_SCOPE)
    .filter(([, s]) => s === scope)
    .map(([t]) => t);

export default function OAuthAuthorize({ loaderData, actionData }: Route.ComponentProps) {
  const view = loaderData;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [accountId, setAccountId] = useState(view.accounts[0]!.accountId);
  const account = view.accounts.find((a) => a.accountId === accountId) ?? view.accounts[0]!;
  const initial = useMemo(() => new Set<McpScope>(view.requested.length ? view.requested : MCP_SCOPES), [view.requested]);
  const [checked, setChecked] = useState<Set<McpScope>>(initial);
  const toggle = (scope: McpScope, on: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });

  return (
    <main className="flex min-h-screen items-center justify-center bg-neutral-100 p-6">
      <div className="w-full max-w-lg">
        <div className="mb-5 flex items-center gap-2">
          <Logo />
          <span className="text-sm font-semibold tracking-tight">Support Triage</span>
        </div>
        <div className="rounded-lg border border-neutral-200 bg-white p-6 shadow-sm">
          <h1 className="text-base font-semibold">
            Allow <span data-testid="consent-client-name">{view.clientName}</span> to act as you?
          </h1>
          <p className="mt-1 text-xs text-neutral-500">
            Signed in as <span className="font-medium text-neutral-700">{view.person.email}</span>. The app will use Support Triage as you, in one account, with
            the permissions you tick, until you revoke it under API tokens.
          </p>
          <div className="mt-3 space-y-1 rounded-md border border-neutral-200 bg-neutral-50 px-3 py-2 text-xs text-neutral-700">
            <p>
              The app registered itself under this name; it is <span className="font-medium">not verified</span>.
            </p>
            <p>
              Access is sent to{" "}
              <span className="font-mono font-medium" data-testid="consent-redirect-host">
                {view.redirectHost}
              </span>
              .
            </p>
            {view.redirectIsLoopback ? (
              <p className="text-amber-800" data-testid="consent-loopback-warning">
                That is an app on your own computer: continue only if you just started connecting it yourself.
              </p>
            ) : null}
          </div>

          <Form method="post" className="mt-4 space-y-4">
            <input type="hidden" name="handle" value={view.handle} />
            <div>
              <label htmlFor="consent-account" className="block text-xs font-medium text-neutral-700">
                Account
              </label>
              {view.accounts.length > 1 ? (
                <select
                  id="consent-account"
                  name="account"
                  value={accountId}
                  onChange={(e) => setAccountId(e.currentTarget.value)}
                  className="mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm"
                  data-testid="consent-account"
                >
                  {view.accounts.map((a) => (
                    <option key={a.accountId} value={a.accountId}>
                      {a.accountName} ({a.role})
                    </option>
                  ))}
                </select>
              ) : (
                <>
                  <input type="hidden" name="account" value={account.accountId} />
                  <p id="consent-account" className="mt-1 text-sm" data-testid="consent-account-name">
                    {account.accountName} <span className="text-xs text-neutral-500">({account.role})</span>
                  </p>
                </>
              )}
            </div>

            <fieldset>
              <legend className="text-xs font-medium text-neutral-700">Permissions</legend>
              <div className="mt-1 space-y-2">
                {MCP_SCOPES.map((scope) => {
                  const allowed = account.allowed.includes(scope);
                  const info = MCP_SCOPE_INFO[scope];
                  return (
                    <label key={scope} className={`flex items-start gap-2 text-xs ${allowed ? "text-neutral-800" : "text-neutral-400"}`}>
                      <input
                        type="checkbox"
                        name="scope"
                        value={scope}
                        disabled={!allowed}
                        checked={allowed && checked.has(scope)}
                        onChange={(e) => toggle(scope, e.currentTarget.checked)}
                        className="mt-0.5"
                        data-testid={`consent-scope-${scope}`}
                      />
                      <span>
                        <span className="font-medium">{info.label}</span> <span className="font-mono text-[11px] text-neutral-500">{scope}</span>
                        <span className="block text-neutral-500">{info.detail}</span>
                        <span className="block font-mono text-[11px] text-neutral-400">{toolsOf(scope).join(", ")}</span>
                        {allowed ? null : <span className="block text-[11px]">needs the {info.minRole} role</span>}
                      </span>
                    </label>
                  );
                })}
              </div>
              {view.unknownRequested.length ? (
                <p className="mt-2 text-[11px] text-neutral-500">
                  Also asked for, not offered here: <span className="font-mono">{view.unknownRequested.join(" ")}</span>
                </p>
              ) : null}
            </fieldset>

            <p className="text-[11px] text-neutral-500">
              Replies the app proposes wait in the review queue for a person; it cannot approve or send anything itself.
            </p>

            {actionData?.error ? (
              <p role="alert" data-testid="consent-error" className="rounded-md border border-red-200 bg-red-50 px-2.5 py-1.5 text-xs text-red-700">
                {actionData.error}
              </p>
            ) : null}

            <div className="flex gap-2">
              <button
                type="submit"
                name="decision"
                value="approve"
                disabled={busy}
                data-testid="consent-approve"
                className="rounded-md bg-neutral-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-neutral-800 disabled:opacity-60"
              >
                Allow
              </button>
              <button
                type="submit"
                name="decision"
                value="deny"
                disabled={busy}
                data-testid="consent-deny"
                className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-neutral-50 disabled:opacity-60"
              >
                Deny
              </button>
            </div>
          </Form>
        </div>
      </div>
    </main>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} />;
}
