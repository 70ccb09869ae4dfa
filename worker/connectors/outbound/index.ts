// The outbound connectors by source. "generic" is absent on purpose: its
// replies go to the built-in outbox.
import type { OutboundConnector, SourceId } from "../types";
import { chatwoot } from "./chatwoot";
import { freshdesk } from "./freshdesk";
import { front } from "./front";
import { helpscout } from "./helpscout";
import { intercom } from "./intercom";
import { zammad } from "./zammad";
import { zendesk } from "./zendesk";

export const OUTBOUND: Partial<Record<SourceId, OutboundConnector>> = {
  zendesk,
  helpscout,
  intercom,
  front,
  chatwoot,
  zammad,
  freshdesk,
};
