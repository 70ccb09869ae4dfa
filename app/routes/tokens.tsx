// Personal API tokens: any member creates and revokes their own tokens for this
// account. A new token is in the action's answer once and never again. Below
// them, the MCP clients the person connected to this account (OAuth grants,
// worker/mcp/oauth.ts), each revocable at once.
import { useEffect, useRef, useState } from "react";
import { useFetcher } from "react-router";
import { API_SCOPES, type ApiScope, SCOPE_INFO, TOKEN_DAYS } from "../../worker/domain/api-scopes";
import {
  type ApiTokenView,
  createApiToken,
  listApiTokens,
  listMcpConnections,
  type McpConnectionView,
  originOfRequest,
  revokeApiToken,
  revokeMcpConnection,
  scopesForRole,
} from "../../worker/http/dashboard";
import { ActionStatus, FieldMessage } from "../components/ActionStatus";
import { ErrorView } from "../components/ErrorView";
import { Section } from "../components/Section";
import { ShownOnce } from "../components/ShownOnce";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import { fieldError, inputClass, primaryButton, secondaryButton } from "../lib/connectors";
import { utcStamp } from "../lib/format";
import { type IntentResponse, intentAction, refuse } from "../lib/intent-action.server";
import type { Route } from "./+types/tokens";

export const meta: Route.MetaFunction = () => [{ title: "API tokens · Support Triage" }];

type TokensIntent = "create" | "revoke" | "revoke-mcp";
interface TokensActionResponse extends IntentResponse<TokensIntent> {
  /** Only in the answer to "create": the token itself, shown once. */
  token?: string;
  apiToken?: ApiTokenView;
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, accountId, role } = accountAccess(context, "agent");
  const env = envOf(context);
  try {
    return {
      tokens: await listApiTokens(env, user, accountId),
      allowedScopes: scopesForRole(role),
      mcpClients: await listMcpConnections(env, originOfRequest(request), user, accountId),
    };
  } catch (err) {
    toRouteError(err);
  }
}

export const action = intentAction<TokensActionResponse>({
  role: "agent",
  handlers: {
    create: async ({ env, user, accountId, text, form }) => {
      const daysRaw = text("expiresInDays").trim();
      const days = /^\d{1,4}$/.test(daysRaw) ? Number(daysRaw) : Number.NaN;
      if (!Number.isInteger(days))
        throw refuse(400, "invalid token request", [{ path: "expiresInDays", message: `a whole number of days, ${TOKEN_DAYS.min} to ${TOKEN_DAYS.max}` }]);
      const scopes = form.getAll("scopes").filter((s): s is string => typeof s === "string");
      const { token, apiToken } = await createApiToken(env, user, accountId, { name: text("name"), scopes, expiresInDays: days });
      return { token, apiToken, message: `Token "${apiToken.name}" created` };
    },
    revoke: async ({ env, user, accountId, text }) => {
      const revoked = await revokeApiToken(env, user, accountId, text("id"));
      return `Token "${revoked.name}" revoked`;
    },
    "revoke-mcp": async ({ env, user, accountId, text, request }) => {
      const revoked = await revokeMcpConnection(env, originOfRequest(request), user, accountId, text("grant"));
      return `${revoked.clientName} disconnected`;
    },
  },
});

export default function Tokens({ loaderData, params }: Route.ComponentProps) {
  const { tokens, allowedScopes, mcpClients } = loaderData;
  const actionUrl = `/accounts/${encodeURIComponent(params.account)}/tokens`;
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1000px] space-y-4 p-6">
        <div className="flex items-baseline justify-between gap-4">
          <h1 className="text-base font-semibold">Personal API tokens</h1>
          <p className="text-xs text-neutral-500">
            For scripts: <span className="font-mono">Authorization: Bearer st_pat_…</span> on the REST API of{" "}
            <span className="font-mono">{params.account}</span> only. A token acts as you, within your role.
          </p>
        </div>
        <CreateTokenForm key={params.account} actionUrl={actionUrl} allowedScopes={allowedScopes} />
        <Section title="Your tokens" id="tokens-list">
          {tokens.length === 0 ? (
            <p className="text-xs text-neutral-500" data-testid="tokens-empty">
              No tokens yet.
            </p>
          ) : (
            <table className="w-full text-left text-xs" data-testid="tokens-table">
              <thead className="text-[11px] text-neutral-500">
                <tr>
                  <th className="py-1 pr-3 font-medium">Name</th>
                  <th className="py-1 pr-3 font-medium">Scopes</th>
                  <th className="py-1 pr-3 font-medium">Created</th>
                  <th className="py-1 pr-3 font-medium">Expires</th>
                  <th className="py-1 pr-3 font-medium">Last used</th>
                  <th className="py-1 pr-3 font-medium">Status</th>
                  <th className="py-1 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <TokenRow key={t.id} token={t} actionUrl={actionUrl} />
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <McpClients clients={mcpClients} actionUrl={actionUrl} />
      </div>
    </div>
  );
}

function McpClients({ clients, actionUrl }: { clients: McpConnectionView[]; actionUrl: string }) {
  return (
    <Section title="Connected MCP clients" id="mcp-clients">
      <p className="mb-2 text-xs text-neutral-500">
        Outside agents (Claude Desktop, Cursor, the MCP Inspector, …) you allowed to use this account as you, through the MCP server at{" "}
        <span className="font-mono">/mcp</span>. Revoking stops their access and refresh tokens at once. See docs/mcp.md.
      </p>
      {clients.length === 0 ? (
        <p className="text-xs text-neutral-500" data-testid="mcp-clients-empty">
          No MCP clients connected.
        </p>
      ) : (
        <table className="w-full text-left text-xs" data-testid="mcp-clients-table">
          <thead className="text-[11px] text-neutral-500">
            <tr>
              <th className="py-1 pr-3 font-medium">Client</th>
              <th className="py-1 pr-3 font-medium">Scopes</th>
              <th className="py-1 pr-3 font-medium">Connected</th>
              <th className="py-1 pr-3 font-medium">Expires</th>
              <th className="py-1 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clients.map((c) => (
              <McpClientRow key={c.grantId} client={c} actionUrl={actionUrl} />
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function McpClientRow({ client, actionUrl }: { client: McpConnectionView; actionUrl: string }) {
  const fetcher = useFetcher<TokensActionResponse>();
  const busy = fetcher.state !== "idle";
  return (
    <tr className="border-t border-neutral-100 align-top" data-testid="mcp-client-row" data-client-name={client.clientName}>
      <td className="py-1.5 pr-3 font-medium text-neutral-900">
        {client.clientName}
        <span className="block font-mono text-[10px] font-normal text-neutral-400">{client.clientId}</span>
      </td>
      <td className="py-1.5 pr-3 font-mono text-[11px]">{client.scopes.join(" ")}</td>
      <td className="py-1.5 pr-3 text-neutral-600">{utcStamp(client.createdAt)}</td>
      <td className="py-1.5 pr-3 text-neutral-600">{client.expiresAt ? utcStamp(client.expiresAt) : "never"}</td>
      <td className="py-1.5 text-right">
        <fetcher.Form method="post" action={actionUrl}>
          <input type="hidden" name="intent" value="revoke-mcp" />
          <input type="hidden" name="grant" value={client.grantId} />
          <button type="submit" className={secondaryButton} disabled={busy} data-testid="mcp-client-revoke" aria-label={`Revoke ${client.clientName}`}>
            {busy ? "Revoking…" : "Revoke"}
          </button>
        </fetcher.Form>
        {fetcher.data && !fetcher.data.ok ? <ActionStatus response={fetcher.data} busy={busy} /> : null}
      </td>
    </tr>
  );
}

function TokenRow({ token, actionUrl }: { token: ApiTokenView; actionUrl: string }) {
  const fetcher = useFetcher<TokensActionResponse>();
  const busy = fetcher.state !== "idle";
  return (
    <tr className="border-t border-neutral-100 align-top" data-testid="token-row" data-token-id={token.id} data-token-name={token.name}>
      <td className="py-1.5 pr-3 font-medium text-neutral-900">{token.name}</td>
      <td className="py-1.5 pr-3 font-mono text-[11px]">{token.scopes.join(" ")}</td>
      <td className="py-1.5 pr-3 text-neutral-600">{utcStamp(token.createdAt)}</td>
      <td className="py-1.5 pr-3 text-neutral-600">{utcStamp(token.expiresAt)}</td>
      <td className="py-1.5 pr-3 text-neutral-600" data-testid="token-last-used">
        {token.lastUsedAt ? utcStamp(token.lastUsedAt) : "never"}
      </td>
      <td className="py-1.5 pr-3" data-testid="token-status">
        {token.status === "revoked" ? `revoked ${utcStamp(token.revokedAt)}` : token.status}
      </td>
      <td className="py-1.5 text-right">
        {token.status === "active" ? (
          <fetcher.Form method="post" action={actionUrl}>
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="id" value={token.id} />
            <button type="submit" className={secondaryButton} disabled={busy} data-testid={`token-revoke-${token.name}`} aria-label={`Revoke ${token.name}`}>
              {busy ? "Revoking…" : "Revoke"}
            </button>
          </fetcher.Form>
        ) : null}
        {fetcher.data && !fetcher.data.ok ? <ActionStatus response={fetcher.data} busy={busy} /> : null}
      </td>
    </tr>
  );
}

function CreateTokenForm({ actionUrl, allowedScopes }: { actionUrl: string; allowedScopes: ApiScope[] }) {
  const fetcher = useFetcher<TokensActionResponse>();
  const busy = fetcher.state !== "idle";
  const response = fetcher.data?.intent === "create" ? fetcher.data : undefined;
  const [shown, setShown] = useState<{ token: string; name: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const handled = useRef<TokensActionResponse | undefined>(undefined);

  useEffect(() => {
    if (fetcher.state !== "idle" || !response || handled.current === response) return;
    handled.current = response;
    if (response.ok && response.token && response.apiToken) {
      setShown({ token: response.token, name: response.apiToken.name });
      formRef.current?.reset();
    }
  }, [fetcher.state, response]);

  const nameError = fieldError(response?.fields, "name");
  const scopesError = fieldError(response?.fields, "scopes");
  const daysError = fieldError(response?.fields, "expiresInDays");

  return (
    <Section title="Create a token" id="token-create">
      <fetcher.Form ref={formRef} method="post" action={actionUrl} className="space-y-3" noValidate>
        <input type="hidden" name="intent" value="create" />
        <div className="grid grid-cols-[minmax(0,1fr)_160px] gap-3">
          <div>
            <label htmlFor="token-name" className="block text-[11px] font-medium text-neutral-700">
              Name
            </label>
            <input
              id="token-name"
              name="name"
              maxLength={80}
              placeholder="e.g. nightly report script"
              className={`${inputClass} mt-1`}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? "token-name-error" : undefined}
              data-testid="token-name"
            />
            <FieldMessage id="token-name-error" message={nameError} />
          </div>
          <div>
            <label htmlFor="token-days" className="block text-[11px] font-medium text-neutral-700">
              Expires after (days)
            </label>
            <input
              id="token-days"
              name="expiresInDays"
              type="number"
              min={TOKEN_DAYS.min}
              max={TOKEN_DAYS.max}
              defaultValue={TOKEN_DAYS.default}
              className={`${inputClass} mt-1`}
              aria-invalid={daysError ? true : undefined}
              aria-describedby={daysError ? "token-days-error" : undefined}
              data-testid="token-days"
            />
            <FieldMessage id="token-days-error" message={daysError} />
          </div>
        </div>
        <fieldset aria-describedby={scopesError ? "token-scopes-error" : undefined}>
          <legend className="text-[11px] font-medium text-neutral-700">Scopes</legend>
          <div className="mt-1 grid grid-cols-2 gap-1.5">
            {API_SCOPES.map((scope) => {
              const allowed = allowedScopes.includes(scope);
              return (
                <label key={scope} className={`flex items-start gap-2 text-xs ${allowed ? "text-neutral-800" : "text-neutral-400"}`}>
                  <input type="checkbox" name="scopes" value={scope} disabled={!allowed} className="mt-0.5" data-testid={`token-scope-${scope}`} />
                  <span>
                    <span className="font-mono">{scope}</span> · {SCOPE_INFO[scope].label}
                    {allowed ? null : <span className="block text-[11px]">needs the {SCOPE_INFO[scope].minRole} role</span>}
                  </span>
                </label>
              );
            })}
          </div>
          <FieldMessage id="token-scopes-error" message={scopesError} />
        </fieldset>
        <div className="flex items-center gap-3">
          <button type="submit" className={primaryButton} disabled={busy} data-testid="token-create">
            {busy ? "Creating…" : "Create token"}
          </button>
          <ActionStatus
            response={response?.ok ? undefined : response}
            busy={busy}
            shownFields={["name", "scopes", "expiresInDays"]}
            testId="token-create-result"
          />
        </div>
      </fetcher.Form>

      {shown ? (
        <ShownOnce
          message={
            <>
              Your new token <span className="font-medium">{shown.name}</span>. Copy it now: it is shown only here, once. We keep only a hash of it.
            </>
          }
          value={shown.token}
          label="New API token"
          id="token-created-value"
          testIds={{ box: "token-created", value: "token-value", copy: "token-copy" }}
          onHide={() => setShown(null)}
        />
      ) : null}
    </Section>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
