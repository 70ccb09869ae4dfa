// Every inbound webhook source by id: our own format plus one per help desk.
import type { SourceId, WebhookSource } from "../../connectors/types";
import { chatwoot } from "./chatwoot";
import { freshdesk } from "./freshdesk";
import { front } from "./front";
import { generic } from "./generic";
import { helpscout } from "./helpscout";
import { intercom } from "./intercom";
import { zammad } from "./zammad";
import { zendesk } from "./zendesk";

export const SOURCES: Record<SourceId, WebhookSource> = {
  generic,
  zendesk,
  helpscout,
  intercom,
  front,
  chatwoot,
  zammad,
  freshdesk,
};

export { FRESHDESK_TEMPLATE, FRESHDESK_TOKEN_HEADER } from "./freshdesk";
