import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
export class TriageWorkflow extends WorkflowEntrypoint<Env, { x: number }> {
  async run(event: WorkflowEvent<{ x: number }>, step: WorkflowStep) {
    return await step.do("a", async () => 1);
  }
}
