// The offline model's plan, step by step, from the prompt alone.
import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { nextStep, REJECT_PREFIX, REVISE_PREFIX } from "./offline-model";

const header: LanguageModelV4Prompt[number] = {
  role: "user",
  content: [{ type: "text", text: "New ticket to triage.\nticket_id: 42\nrequester_email: pat@customer.test\naccount_name: Acme" }],
};

let id = 0;
function promptAfter(steps: [string, unknown, { denied?: string }?][]): LanguageModelV4Prompt {
  const prompt: LanguageModelV4Prompt = [header];
  for (const [toolName, output, opts] of steps) {
    const toolCallId = `c${++id}`;
    prompt.push({ role: "assistant", content: [{ type: "tool-call", toolCallId, toolName, input: {} }] });
    prompt.push({
      role: "tool",
      content: [
        {
          type: "tool-result",
          toolCallId,
          toolName,
          output: opts?.denied !== undefined ? { type: "execution-denied", reason: opts.denied } : { type: "json", value: output as never },
        },
      ],
    });
  }
  return prompt;
}

const ticket = { subject: "Refund", requester: { email: "pat@customer.test", name: "Pat Doe" }, priority: "normal" };
const entitlement = { tier: "pro", plan: "Pro", slaHours: 8, customerName: "Pat", company: null };
const context = { category: "billing", priority: "normal", categoryMatched: true, handoffQueue: "billing", risky: true };
/** The tool call a step makes (fails the test if the step is plain text). */
function toolStep(step: ReturnType<typeof nextStep>) {
  if (step.kind !== "tool") throw new Error(`expected a tool call, got text: ${step.text}`);
  return step as typeof step & { input: { body: string; confidence: number } };
}

const base: [string, unknown][] = [
  ["read_ticket", ticket],
  ["lookup_entitlement", entitlement],
  ["summarize_context", context],
];

describe("offline model plan", () => {
  it("reads, looks up, summarizes, drafts, then proposes sending", () => {
    expect(nextStep([header])).toMatchObject({ kind: "tool", toolName: "read_ticket", input: { ticket_id: "42" } });
    expect(nextStep(promptAfter(base.slice(0, 1)))).toMatchObject({ toolName: "lookup_entitlement", input: { email: "pat@customer.test" } });
    expect(nextStep(promptAfter(base.slice(0, 2)))).toMatchObject({ toolName: "summarize_context" });
    const draft = nextStep(promptAfter(base));
    expect(draft).toMatchObject({ toolName: "draft_reply" });
    const body = toolStep(draft).input.body;
    expect(body).toMatch(/^Hi Pat,/);
    expect(body).toContain("within 8 hours");
    expect(body).not.toMatch(/we (will|have) refund/i);
    expect(nextStep(promptAfter([...base, ["draft_reply", { body }]]))).toMatchObject({ toolName: "send_reply", input: { body } });
  });

  it("hands off when the account policy names a queue for the tier, and only then for a plain ticket", () => {
    const withPolicy: LanguageModelV4Prompt = [
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "New ticket to triage.\nticket_id: 42\nrequester_email: pat@customer.test\naccount_name: Acme\nhandoff_queue: account-management",
          },
        ],
      },
      ...promptAfter(base).slice(1),
    ];
    expect(nextStep(withPolicy)).toMatchObject({ toolName: "file_handoff", input: { queue: "account-management" } });
    expect(nextStep(promptAfter(base))).toMatchObject({ toolName: "draft_reply" });
  });

  it("skips tools the account disabled", () => {
    const available = ["read_ticket", "summarize_context", "draft_reply", "send_reply"];
    expect(nextStep(promptAfter(base.slice(0, 1)), available)).toMatchObject({ toolName: "summarize_context" });
  });

  it("redrafts with a reviewer's quoted wording after a send-back, and stops after a rejection", () => {
    const sentBack = promptAfter([...base, ["draft_reply", { body: "v1" }], ["send_reply", null, { denied: `${REVISE_PREFIX} say "We are on it today."` }]]);
    const redraft = toolStep(nextStep(sentBack));
    expect(redraft.toolName).toBe("draft_reply");
    expect(redraft.input.body).toContain("We are on it today.");
    const rejected = promptAfter([...base, ["draft_reply", { body: "v1" }], ["send_reply", null, { denied: `${REJECT_PREFIX} no` }]]);
    expect(nextStep(rejected)).toMatchObject({ kind: "text" });
  });

  it("answers plain chat without tools", () => {
    expect(nextStep([{ role: "user", content: [{ type: "text", text: "hello" }] }])).toMatchObject({ kind: "text" });
  });
});
