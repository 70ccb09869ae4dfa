import { BILLING_SOURCE_KINDS, type BillingSourceKind } from "../../worker/domain/billing";
import { isSourceId, type SourceId } from "../../worker/domain/source-ids";
import {
  billingOverview,
  connectorOverview,
  DEFAULT_GRACE_HOURS,
  enableBillingSource,
  enableConnector,
  FRESHDESK_TEMPLATE,
  FRESHDESK_TOKEN_HEADER,
  rotateConnectorSecret,
  updateConnectorOutbound,
  updateConnectorWriteBack,
  updateGenericBilling,
  updateStripeBilling,
} from "../../worker/http/dashboard";
import { BillingSection } from "../components/billing/BillingSection";
import type { BillingActionResponse } from "../components/billing/billing";
import { stripeInputFromForm } from "../components/billing/billing-form.server";
import { ConnectorCard } from "../components/ConnectorCard";
import { ErrorView } from "../components/ErrorView";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import type { ConnectorActionResponse } from "../lib/connectors";
import { boolField, intentAction, refuse } from "../lib/intent-action.server";
import type { Route } from "./+types/connectors";

/** The connectors' answers and the Billing section's share one action (one form field, `intent`, picks the handler). */
type ConnectorsPageResponse = Omit<ConnectorActionResponse, "intent"> &
  Omit<BillingActionResponse, "intent" | "ok" | "message" | "error" | "fields" | "enabled"> & {
    intent: ConnectorActionResponse["intent"] | BillingActionResponse["intent"];
  };

export const meta: Route.MetaFunction = () => [{ title: "Connectors · Support Triage" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const { user, accountId } = accountAccess(context, "admin");
  try {
    const env = envOf(context);
    const [connectors, billing] = await Promise.all([connectorOverview(env, user, accountId), billingOverview(env, user, accountId)]);
    return {
      // Fingerprints only: the view never carries a key or secret.
      billing,
      // Where the help desk must send its webhooks: this dashboard's own origin.
      origin: new URL(request.url).origin,
      defaultGraceHours: DEFAULT_GRACE_HOURS,
      // Freshdesk does not sign: its automation sends this body and header (docs/connectors.md).
      freshdesk: { template: JSON.stringify(JSON.parse(FRESHDESK_TEMPLATE), null, 2), tokenHeader: FRESHDESK_TOKEN_HEADER },
      connectors: connectors.map(({ deliveries, ...c }) => ({
        ...c,
        deliveries: deliveries.map((d) => ({
          id: d.id,
          deliveryId: d.deliveryId,
          status: d.status,
          outcome: d.outcome,
          reason: d.reason,
          taskId: d.taskId,
          receivedAt: d.receivedAt,
        })),
      })),
    };
  } catch (err) {
    toRouteError(err);
  }
}

export const action = intentAction<ConnectorsPageResponse>({
  role: "admin",
  // Every answer names the source it is about (null when the form named none).
  echo: (text) => ({ source: text("source") || null, kind: (text("kind") || null) as BillingSourceKind | null }),
  handlers: {
    toggle: async ({ env, user, accountId, text }) => {
      const source = sourceOf(text);
      const { enabled } = await enableConnector(env, user, accountId, source, { enabled: boolField(text, "enabled") });
      return { enabled, message: enabled ? "Switched on" : "Switched off" };
    },
    secret: async ({ env, user, accountId, text }) => {
      const source = sourceOf(text);
      const input: { secret: string; graceHours?: number } = { secret: text("secret") };
      const grace = text("graceHours").trim();
      if (grace) {
        const hours = Number(grace);
        if (!Number.isFinite(hours)) throw refuse(400, "invalid request", [{ path: "graceHours", message: "expected a number of hours" }]);
        input.graceHours = hours;
      }
      const { fingerprint, previousValidUntil } = await rotateConnectorSecret(env, user, accountId, source, input);
      return { fingerprint, previousValidUntil, message: "Signing secret saved" };
    },
    outbound: async ({ env, user, accountId, text, form }) => {
      const source = sourceOf(text);
      const credentials: Record<string, string> = {};
      for (const [name, value] of form) {
        if (name.startsWith("cred.") && typeof value === "string") credentials[name.slice("cred.".length)] = value;
      }
      await updateConnectorOutbound(env, user, accountId, source, { apiBaseUrl: text("apiBaseUrl"), credentials });
      return "Outbound settings saved";
    },
    writeBack: async ({ env, user, accountId, text, form }) => {
      const source = sourceOf(text);
      const fields = form.getAll("field").filter((v): v is string => typeof v === "string");
      const { writeBack } = await updateConnectorWriteBack(env, user, accountId, source, { enabled: boolField(text, "enabled"), fields });
      return { writeBack, message: writeBack.enabled ? `Write-back on: ${writeBack.fields.join(" and ")}` : "Write-back off" };
    },
    billingStripe: async ({ env, user, accountId, text, form }) => {
      const stripe = await updateStripeBilling(env, user, accountId, stripeInputFromForm(form, text));
      return {
        kind: "stripe",
        apiKeyFingerprint: stripe.apiKey?.fingerprint ?? null,
        webhookSecretFingerprint: stripe.webhookSecret?.fingerprint ?? null,
        message: "Stripe settings saved",
      };
    },
    billingGeneric: async ({ env, user, accountId, text }) => {
      const generic = await updateGenericBilling(env, user, accountId, { url: text("url"), secret: text("secret").trim() });
      return { kind: "generic", secretFingerprint: generic.secret?.fingerprint ?? null, message: "Billing lookup saved" };
    },
    billingToggle: async ({ env, user, accountId, text }) => {
      const kind = text("kind");
      if (!(BILLING_SOURCE_KINDS as readonly string[]).includes(kind))
        throw refuse(404, `no billing source "${kind}"`, [{ path: "kind", message: "unknown billing source" }]);
      const { enabled } = await enableBillingSource(env, user, accountId, kind, boolField(text, "enabled"));
      return { enabled, message: enabled ? "Switched on" : "Switched off: the built-in tables answer" };
    },
  },
});

/** The form's source, or a 404 naming it. */
function sourceOf(text: (name: string) => string): SourceId {
  const source = text("source");
  if (!isSourceId(source)) throw refuse(404, `no source "${source}"`, [{ path: "source", message: "unknown source" }]);
  return source;
}

export default function Connectors({ loaderData, params }: Route.ComponentProps) {
  const { origin, connectors, defaultGraceHours, freshdesk, billing } = loaderData;
  const on = connectors.filter((c) => c.enabled).length;
  const actionUrl = `/accounts/${encodeURIComponent(params.account)}/connectors`;

  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1200px] space-y-4 p-6">
        <div className="flex items-baseline justify-between gap-4">
          <h1 className="text-base font-semibold">Connectors</h1>
          <p className="text-xs text-neutral-500" data-testid="connectors-summary">
            {on} of {connectors.length} sources on · secrets are never shown again once saved, only their fingerprints
          </p>
        </div>

        <nav aria-label="Sources" className="flex flex-wrap gap-1.5">
          {connectors.map((c) => (
            <a
              key={c.source}
              href={`#connector-${c.source}`}
              className="inline-flex items-center gap-1.5 rounded-md border border-neutral-200 bg-white px-2 py-0.5 text-xs text-neutral-700 hover:bg-neutral-50"
            >
              <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${c.enabled ? "bg-emerald-500" : "bg-neutral-300"}`} />
              {c.name}
              <span className="sr-only">{c.enabled ? " (on)" : " (off)"}</span>
            </a>
          ))}
          <a
            href="#billing"
            className="inline-flex items-center gap-1.5 rounded-md border border-neutral-200 bg-white px-2 py-0.5 text-xs text-neutral-700 hover:bg-neutral-50"
          >
            <span aria-hidden="true" className={`h-1.5 w-1.5 rounded-full ${billing.active === "builtin" ? "bg-neutral-300" : "bg-emerald-500"}`} />
            Billing
          </a>
        </nav>

        {connectors.map((c) => (
          <ConnectorCard
            key={`${params.account}:${c.source}`}
            connector={c}
            origin={origin}
            actionUrl={actionUrl}
            defaultGraceHours={defaultGraceHours}
            freshdesk={c.source === "freshdesk" ? freshdesk : undefined}
          />
        ))}

        <BillingSection key={`${params.account}:billing`} billing={billing} origin={origin} actionUrl={actionUrl} />
      </div>
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
