import { createRequestHandler } from "react-router";
import { routeAgentRequest } from "agents";
export { SupportAgent } from "./agents/support-agent";
export { TriageWorkflow } from "./workflows/triage-workflow";

const requestHandler = createRequestHandler(() => import("virtual:react-router/server-build"), import.meta.env.MODE);

export default {
  async fetch(request, env, ctx) {
    const agentResponse = await routeAgentRequest(request, env);
    if (agentResponse) return agentResponse;
    return requestHandler(request);
  },
} satisfies ExportedHandler<Env>;
