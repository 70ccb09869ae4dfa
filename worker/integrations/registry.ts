// Every help desk we integrate with, in one place: its inbound webhook
// mapping and signature check, its outbound replies and notes, and (Zendesk)
// the OAuth provider people connect their own identity through. "generic" is
// our own signed format: no outbound connector (its replies go to the
// built-in outbox). Adding a help desk: docs in AGENTS.md.
import { chatwoot as chatwootInbound } from "./chatwoot/inbound";
import { chatwoot as chatwootOutbound } from "./chatwoot/outbound";
import { freshdesk as freshdeskInbound } from "./freshdesk/inbound";
import { freshdesk as freshdeskOutbound } from "./freshdesk/outbound";
import { front as frontInbound } from "./front/inbound";
import { front as frontOutbound } from "./front/outbound";
import { generic } from "./generic/inbound";
import { helpscout as helpscoutInbound } from "./helpscout/inbound";
import { helpscout as helpscoutOutbound } from "./helpscout/outbound";
import { intercom as intercomInbound } from "./intercom/inbound";
import { intercom as intercomOutbound } from "./intercom/outbound";
import type { DelegationProvider, OutboundConnector, SourceId, WebhookSource } from "./types";
import { zammad as zammadInbound } from "./zammad/inbound";
import { zammad as zammadOutbound } from "./zammad/outbound";
import { zendeskDelegation } from "./zendesk/delegation";
import { zendesk as zendeskInbound } from "./zendesk/inbound";
import { zendesk as zendeskOutbound } from "./zendesk/outbound";

interface Integration {
  inbound: WebhookSource;
  outbound?: OutboundConnector;
  delegation?: DelegationProvider;
}

const INTEGRATIONS: Record<SourceId, Integration> = {
  generic: { inbound: generic },
  zendesk: { inbound: zendeskInbound, outbound: zendeskOutbound, delegation: zendeskDelegation },
  helpscout: { inbound: helpscoutInbound, outbound: helpscoutOutbound },
  intercom: { inbound: intercomInbound, outbound: intercomOutbound },
  front: { inbound: frontInbound, outbound: frontOutbound },
  chatwoot: { inbound: chatwootInbound, outbound: chatwootOutbound },
  zammad: { inbound: zammadInbound, outbound: zammadOutbound },
  freshdesk: { inbound: freshdeskInbound, outbound: freshdeskOutbound },
};

const entries = Object.entries(INTEGRATIONS) as [SourceId, Integration][];

/** Each source's inbound webhook: signature check and mapping to our ticket. */
export const SOURCES = Object.fromEntries(entries.map(([id, i]) => [id, i.inbound])) as Record<SourceId, WebhookSource>;

/** Each source's outbound connector, where it has one. */
export const OUTBOUND: Partial<Record<SourceId, OutboundConnector>> = Object.fromEntries(entries.flatMap(([id, i]) => (i.outbound ? [[id, i.outbound]] : [])));

/** The delegation providers by id (typed, so their ids are a union). */
export const DELEGATION_PROVIDERS = { zendesk: zendeskDelegation } as const satisfies Record<string, DelegationProvider>;

export type DelegationProviderId = keyof typeof DELEGATION_PROVIDERS;

export const DELEGATION_PROVIDER_IDS = Object.keys(DELEGATION_PROVIDERS) as DelegationProviderId[];

export function isDelegationProvider(id: string): id is DelegationProviderId {
  return Object.hasOwn(DELEGATION_PROVIDERS, id);
}

export function delegationProvider(id: DelegationProviderId): DelegationProvider {
  return DELEGATION_PROVIDERS[id];
}

/** The provider whose delegated tokens replies to tickets from `source` can be sent with, if any. */
export function providerForSource(source: string): DelegationProviderId | null {
  return DELEGATION_PROVIDER_IDS.find((p) => DELEGATION_PROVIDERS[p].source === source) ?? null;
}
