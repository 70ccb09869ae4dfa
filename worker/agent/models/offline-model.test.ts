// The offline model's plan, step by step, from the prompt alone.
import type { LanguageModelV4Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { MATCH_THRESHOLD } from "../../knowledge/search";
import { draftConfidence, nextStep, REJECT_PREFIX, REVISE_PREFIX } from "./offline-model";
import { phraseBook } from "./replies";

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
  return step as typeof step & { input: { body: string; confidence: number; sources?: string[] } };
}

const base: [string, unknown][] = [
  ["read_ticket", ticket],
  ["lookup_entitlement", entitlement],
  ["summarize_context", context],
  ["search_knowledge", { hits: [] }],
];

const REFUND_HIT = {
  articleId: "kb_refund",
  title: "Refund a double charge",
  url: "https://help.example/refund",
  snippet: "we refund the duplicate charge",
  score: 0.8,
  language: "en",
  passage: "If your card was charged twice for the same invoice, we refund the duplicate charge.\n\n1. Open Billing → Invoices.\n2. Choose Request refund.",
};
const withHits = (hits: unknown[], ctx: unknown = context): [string, unknown][] => [
  ...base.slice(0, 2),
  ["summarize_context", ctx],
  ["search_knowledge", { hits }],
];

describe("offline model plan", () => {
  it("reads, looks up, summarizes, drafts, then proposes sending", () => {
    expect(nextStep([header])).toMatchObject({ kind: "tool", toolName: "read_ticket", input: { ticket_id: "42" } });
    expect(nextStep(promptAfter(base.slice(0, 1)))).toMatchObject({ toolName: "lookup_entitlement", input: { email: "pat@customer.test" } });
    expect(nextStep(promptAfter(base.slice(0, 2)))).toMatchObject({ toolName: "summarize_context" });
    // The question is the ticket itself: its subject (and body, when it has one).
    expect(nextStep(promptAfter(base.slice(0, 3)))).toMatchObject({ toolName: "search_knowledge", input: { query: "Refund" } });
    const draft = nextStep(promptAfter(base));
    expect(draft).toMatchObject({ toolName: "draft_reply" });
    const body = toolStep(draft).input.body;
    expect(body).toMatch(/^Hi Pat,/);
    expect(body).toContain("within 8 hours");
    expect(body).not.toMatch(/we (will|have) refund/i);
    expect(toolStep(draft).input.sources).toBeUndefined();
    expect(nextStep(promptAfter([...base, ["draft_reply", { body }]]))).toMatchObject({ toolName: "send_reply", input: { body } });
  });

  it("answers from the best article when it covers the question well, cites it, and is as confident as the match", () => {
    const step = toolStep(nextStep(promptAfter(withHits([REFUND_HIT, { ...REFUND_HIT, articleId: "kb_other", score: 0.9 }]))));
    expect(step.toolName).toBe("draft_reply");
    expect(step.input.sources).toEqual(["kb_refund"]);
    const body = step.input.body;
    expect(body).toMatch(/^Hi Pat,\n\nThank you for contacting us about "Refund"\. Here is what our guide says:\n\nIf your card was charged twice/);
    expect(body).toContain("1. Open Billing → Invoices.\n2. Choose Request refund.");
    expect(body).toContain("You can read the whole article here: https://help.example/refund");
    expect(body).toContain("If this doesn't solve it, reply and we'll take it from there.");
    expect(body).toMatch(/Best regards,\nAcme Support$/);
    // The holding reply's confidence, averaged with how well the article matches.
    const holding = draftConfidence({ categoryMatched: true, risky: true }, entitlement as never, false);
    expect(step.input.confidence).toBeCloseTo((holding + 0.8) / 2, 2);
    const weaker = toolStep(nextStep(promptAfter(withHits([{ ...REFUND_HIT, score: MATCH_THRESHOLD }]))));
    expect(weaker.input.confidence).toBeLessThan(step.input.confidence);
  });

  it("falls back to the holding reply, citing nothing, when no article covers the question well", () => {
    for (const hits of [[], [{ ...REFUND_HIT, score: MATCH_THRESHOLD - 0.01 }], [{ ...REFUND_HIT, passage: undefined }]]) {
      const step = toolStep(nextStep(promptAfter(withHits(hits))));
      expect(step.input.sources).toBeUndefined();
      expect(step.input.body).toContain("within 8 hours");
      expect(step.input.body).not.toContain("help.example");
    }
  });

  it("writes the framing in the customer's language, also around an article in another language", () => {
    const de = phraseBook("de");
    const body = toolStep(nextStep(promptAfter(withHits([REFUND_HIT], { ...context, language: "de" })))).input.body;
    expect(body).toMatch(/^Hallo Pat,/);
    expect(body).toContain(de.guideIntro);
    expect(body).toContain(`${de.readMore} https://help.example/refund`);
    expect(body).toContain(de.notSolved);
    expect(body).toContain("If your card was charged twice");
    expect(body).not.toContain("Here is what our guide says");
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
    expect(nextStep(promptAfter(base.slice(0, 3)), available)).toMatchObject({ toolName: "draft_reply" });
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
