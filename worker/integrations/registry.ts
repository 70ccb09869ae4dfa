// Every help desk we integrate with, in one place: its inbound webhook
// mapping and signature check, its outbound replies and notes, its knowledge
// importer (help-center articles and saved replies, read with the outbound
// credentials), its people lookup (who a stand-in requester is, with the same
// credentials), and (Zendesk) the OAuth provider people connect their own
// identity through. "generic" is our own signed format: no outbound connector
// (its replies go to the built-in outbox) and no knowledge to import.
// Adding a help desk: docs in AGENTS.md.
import { chatwoot as chatwootInbound } from "./chatwoot/inbound";
import { chatwoot as chatwootKnowledge } from "./chatwoot/knowledge";
import { chatwoot as chatwootOutbound } from "./chatwoot/outbound";
import { chatwoot as chatwootPeople } from "./chatwoot/people";
import { freshdesk as freshdeskInbound } from "./freshdesk/inbound";
import { freshdesk as freshdeskKnowledge } from "./freshdesk/knowledge";
import { freshdesk as freshdeskOutbound } from "./freshdesk/outbound";
import { front as frontInbound } from "./front/inbound";
import { front as frontKnowledge } from "./front/knowledge";
import { front as frontOutbound } from "./front/outbound";
import { generic } from "./generic/inbound";
import { helpscout as helpscoutInbound } from "./helpscout/inbound";
import { helpscout as helpscoutKnowledge } from "./helpscout/knowledge";
import { helpscout as helpscoutOutbound } from "./helpscout/outbound";
import { intercom as intercomInbound } from "./intercom/inbound";
import { intercom as intercomKnowledge } from "./intercom/knowledge";
import { intercom as intercomOutbound } from "./intercom/outbound";
import { intercom as intercomPeople } from "./intercom/people";
import type { DelegationProvider, KnowledgeSource, OutboundConnector, PeopleLookup, SourceId, WebhookSource } from "./types";
import { zammad as zammadInbound } from "./zammad/inbound";
import { zammad as zammadKnowledge } from "./zammad/knowledge";
import { zammad as zammadOutbound } from "./zammad/outbound";
import { zendeskDelegation } from "./zendesk/delegation";
import { zendesk as zendeskInbound } from "./zendesk/inbound";
import { zendesk as zendeskKnowledge } from "./zendesk/knowledge";
import { zendesk as zendeskOutbound } from "./zendesk/outbound";
import { zendesk as zendeskPeople } from "./zendesk/people";

interface Integration {
  inbound: WebhookSource;
  outbound?: OutboundConnector;
  /** Reads the help desk's articles and saved replies with the outbound credentials. */
  knowledge?: KnowledgeSource;
  /** Looks up a stand-in requester (the mapping had an id, no address) with the outbound credentials. */
  people?: PeopleLookup;
  delegation?: DelegationProvider;
}

const INTEGRATIONS: Record<SourceId, Integration> = {
  generic: { inbound: generic },
  zendesk: { inbound: zendeskInbound, outbound: zendeskOutbound, knowledge: zendeskKnowledge, people: zendeskPeople, delegation: zendeskDelegation },
  helpscout: { inbound: helpscoutInbound, outbound: helpscoutOutbound, knowledge: helpscoutKnowledge },
  intercom: { inbound: intercomInbound, outbound: intercomOutbound, knowledge: intercomKnowledge, people: intercomPeople },
  front: { inbound: frontInbound, outbound: frontOutbound, knowledge: frontKnowledge },
  chatwoot: { inbound: chatwootInbound, outbound: chatwootOutbound, knowledge: chatwootKnowledge, people: chatwootPeople },
  zammad: { inbound: zammadInbound, outbound: zammadOutbound, knowledge: zammadKnowledge },
  freshdesk: { inbound: freshdeskInbound, outbound: freshdeskOutbound, knowledge: freshdeskKnowledge },
};

const entries = Object.entries(INTEGRATIONS) as [SourceId, Integration][];

/** Each source's inbound webhook: signature check and mapping to our ticket. */
export const SOURCES = Object.fromEntries(entries.map(([id, i]) => [id, i.inbound])) as Record<SourceId, WebhookSource>;

/** Each source's outbound connector, where it has one. */
export const OUTBOUND: Partial<Record<SourceId, OutboundConnector>> = Object.fromEntries(entries.flatMap(([id, i]) => (i.outbound ? [[id, i.outbound]] : [])));

/** Each source's knowledge importer, where it has one (`KNOWLEDGE[source].list(ctx)` with the outbound context). */
export const KNOWLEDGE: Partial<Record<SourceId, KnowledgeSource>> = Object.fromEntries(entries.flatMap(([id, i]) => (i.knowledge ? [[id, i.knowledge]] : [])));

/** Each source's people lookup, where it has one (`PEOPLE[source].find(ctx, ref, refs)` with the outbound context). */
export const PEOPLE: Partial<Record<SourceId, PeopleLookup>> = Object.fromEntries(entries.flatMap(([id, i]) => (i.people ? [[id, i.people]] : [])));

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
