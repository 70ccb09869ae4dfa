// After a drafting round ends well, a share of rounds (the account's policy,
// `samples.share`) is kept for quality review: what the model read (the
// system prompt and the thread, the ticket's text in read_ticket's result) and
// what it proposed. The choice hangs on the task and round only, so a retried
// round decides alike. audit/samples.ts redacts and stores it; keeping a
// sample never fails the round.
import type { LanguageModel, ModelMessage } from "ai";
import { isSampled, keepSample } from "../../audit/samples";
import type { Json } from "../../domain/types";
import { operatingState } from "../../policy/operating-state";
import { modelIdOf } from "../models/model";
import type { DraftState } from "./draft-state";
import type { ToolCalls } from "./tool-calls";

export interface RoundToSample {
  accountId: string;
  taskId: string;
  state: DraftState;
  system: string;
  messages: ModelMessage[];
  model: LanguageModel;
  calls: ToolCalls;
}

/** Keeps the round as a sample when the account's share picks it; logs (never throws) when keeping fails. */
export async function sampleRound(env: Env, r: RoundToSample): Promise<void> {
  try {
    const { policy } = await operatingState(env, r.accountId);
    if (!(await isSampled(r.taskId, r.state.round, policy.samples.share))) return;
    await keepSample(env, {
      accountId: r.accountId,
      taskId: r.taskId,
      round: r.state.round,
      model: modelIdOf(r.model),
      // Plain JSON: messages may hold values JSON has no word for (they become strings or go).
      input: JSON.parse(JSON.stringify({ system: r.system, messages: r.messages })) as Json,
      output: {
        draft: r.state.draft,
        confidence: r.state.confidence,
        citations: (r.state.citations ?? []) as unknown as Json,
        plan: r.state.plan,
        language: r.state.triage?.language ?? null,
        toolCalls: r.calls.ofRound(r.state.round),
      },
      keepDays: policy.samples.keepDays,
    });
  } catch (err) {
    console.error("sample not kept", r.taskId, r.state.round, err instanceof Error ? err.message : String(err));
  }
}
