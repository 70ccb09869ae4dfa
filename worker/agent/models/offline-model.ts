// A deterministic language model that needs no network. It runs the same
// tool plan we ask of a hosted model: read the ticket, look up the
// entitlement, summarize the context, search the team's knowledge, hand off
// where needed, draft (from the best article when one covers the question
// well, citing it; otherwise a holding reply), and propose sending (which
// always waits for a human). It reads only tool results, so text inside the
// ticket cannot steer it.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from "@ai-sdk/provider";
import type { Entitlement, Priority } from "../../domain/types";
import type { KnowledgeToolHit } from "../tools";
import { groundedConfidence, groundedReply } from "./article-reply";
import type { Category } from "./classify";

const TRIAGE_PLAN = [
  "read_ticket",
  "lookup_entitlement",
  "summarize_context",
  "search_knowledge",
  "file_handoff (when the account policy, urgency or the topic calls for it)",
  "draft_reply",
  "send_reply (waits for human approval)",
];

/** Reviewer decisions reach the model as the denial reason of `send_reply`. */
export const REVISE_PREFIX = "revise:";
export const REJECT_PREFIX = "rejected:";

export interface ToolOutcome {
  toolName: string;
  output: unknown;
  denied?: string; // denial reason when the human said no
  error?: string;
}

/** The tool results in the prompt, oldest first. */
export function toolOutcomes(prompt: LanguageModelV4Prompt): ToolOutcome[] {
  const outcomes: ToolOutcome[] = [];
  for (const message of prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      const o = part.output;
      if (o.type === "execution-denied") outcomes.push({ toolName: part.toolName, output: null, denied: o.reason ?? "" });
      else if (o.type === "json" || o.type === "text") outcomes.push({ toolName: part.toolName, output: o.value });
      else if (o.type === "error-text" || o.type === "error-json") outcomes.push({ toolName: part.toolName, output: null, error: JSON.stringify(o.value) });
      else outcomes.push({ toolName: part.toolName, output: null });
    }
  }
  return outcomes;
}

/** The task header our agent writes as the first user message (trusted metadata only). */
export function taskHeader(prompt: LanguageModelV4Prompt): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const message of prompt) {
    if (message.role !== "user") continue;
    for (const part of message.content) {
      if (part.type !== "text") continue;
      for (const m of part.text.matchAll(/^(ticket_id|requester_email|account_name|handoff_queue):\s*(.+)$/gm)) fields[m[1]!] = m[2]!.trim();
    }
    break;
  }
  return fields;
}

export type Step = { kind: "tool"; toolName: string; input: Record<string, unknown>; say?: string } | { kind: "text"; text: string };

export function lastOf(outcomes: ToolOutcome[], toolName: string) {
  for (let i = outcomes.length - 1; i >= 0; i--) if (outcomes[i]!.toolName === toolName) return outcomes[i];
  return undefined;
}

/**
 * Decides the next step from what has happened so far. `available` lists the
 * tools offered (an account may disable some): a missing tool's step is skipped.
 */
export function nextStep(prompt: LanguageModelV4Prompt, available?: string[]): Step {
  const header = taskHeader(prompt);
  const outcomes = toolOutcomes(prompt);
  const offered = (name: string) => !available || available.includes(name);
  const has = (name: string) => !offered(name) || outcomes.some((o) => o.toolName === name);
  const ticketId = header.ticket_id;
  if (!ticketId) {
    // Not a triage thread (e.g. the dashboard's chat): no tools to run.
    return {
      kind: "text",
      text: "I'm the built-in offline model: I draft first replies for incoming tickets, and every draft waits in the review queue. Set OPENAI_API_KEY for free-form chat.",
    };
  }

  if (!has("read_ticket")) {
    return { kind: "tool", toolName: "read_ticket", input: { ticket_id: ticketId }, say: `Plan: ${TRIAGE_PLAN.join(" → ")}` };
  }
  const ticket = lastOf(outcomes, "read_ticket")!.output as {
    subject: string;
    body?: string;
    requester: { email: string; name: string };
    /** Set when the requester is the help desk's stand-in ("Zendesk user 123"): no greeting by that name. */
    requester_note?: string | null;
    priority?: Priority;
  } | null;
  if (!ticket) return { kind: "text", text: "I could not read the ticket, so I am not drafting a reply. A person needs to look at it." };

  if (!has("lookup_entitlement")) {
    return { kind: "tool", toolName: "lookup_entitlement", input: { email: ticket.requester.email } };
  }
  const entitlement = (lastOf(outcomes, "lookup_entitlement")?.output ?? null) as Entitlement | null;

  if (!has("summarize_context")) return { kind: "tool", toolName: "summarize_context", input: { ticket_id: ticketId } };
  const context = lastOf(outcomes, "summarize_context")?.output as {
    category: string;
    builtInCategory?: Category;
    priority: Priority;
    categoryMatched: boolean;
    handoffQueue: string;
    handoffReason?: string;
    risky: boolean;
    language?: string;
  } | null;
  // The question is the ticket itself (subject and body), as the customer wrote it.
  const question = `${ticket.subject.trim()}\n\n${(ticket.body ?? "").trim()}`.trim().slice(0, 2000);
  if (!has("search_knowledge") && question) return { kind: "tool", toolName: "search_knowledge", input: { query: question } };
  const hits = (lastOf(outcomes, "search_knowledge")?.output as { hits?: KnowledgeToolHit[] } | null | undefined)?.hits ?? [];

  const category = context?.category ?? "general";
  // The phrase books know the built-in categories; an account category is written about as the built-in one it falls under.
  const builtIn: Category = context?.builtInCategory ?? (category as Category);
  // The account's policy can require a handoff for the tier (header), or for an account category or a language
  // that has its own queue; besides that, the agent's own judgement.
  const accountQueue = context?.handoffReason === "account-category" || context?.handoffReason === "language";
  const needsHandoff = !!header.handoff_queue || accountQueue || context?.priority === "urgent" || builtIn === "security" || builtIn === "outage";

  if (needsHandoff && !has("file_handoff")) {
    return {
      kind: "tool",
      toolName: "file_handoff",
      input: {
        queue: header.handoff_queue ?? context?.handoffQueue ?? "tier-2",
        note: `${entitlement?.tier === "enterprise" ? `Enterprise customer (${entitlement.company ?? entitlement.plan}). ` : ""}${category} ticket, priority ${context?.priority ?? "normal"}: "${ticket.subject}". First response drafted; please own the follow-up.`,
      },
    };
  }

  // Drafting rounds: a draft, then a proposal to send it; a send-back starts another round.
  const lastSend = lastOf(outcomes, "send_reply");
  const draftsSoFar = outcomes.filter((o) => o.toolName === "draft_reply").length;
  const sendsSoFar = outcomes.filter((o) => o.toolName === "send_reply").length;
  const revisionNotes = outcomes
    .filter((o) => o.toolName === "send_reply" && o.denied?.startsWith(REVISE_PREFIX))
    .map((o) => o.denied!.slice(REVISE_PREFIX.length).trim());

  if (lastSend?.denied !== undefined && !lastSend.denied.startsWith(REVISE_PREFIX) && sendsSoFar >= draftsSoFar) {
    return { kind: "text", text: "Understood: the proposal was rejected, so nothing was sent. The ticket stays with the team." };
  }
  if (lastSend && lastSend.denied === undefined && sendsSoFar >= draftsSoFar) {
    return { kind: "text", text: "The approved reply has been handed to delivery." };
  }
  if (draftsSoFar <= sendsSoFar) {
    const handoff = lastOf(outcomes, "file_handoff")?.output as { queue?: string } | undefined;
    // The best article when it covers the question well (it is cited), else the holding reply.
    const { body, source } = groundedReply(
      {
        requesterName: ticket.requester_note ? "" : ticket.requester.name,
        subject: ticket.subject,
        category: builtIn,
        entitlement,
        accountName: header.account_name ?? "The",
        handoffQueue: handoff?.queue ?? null,
        revisionNotes,
        language: context?.language,
      },
      hits,
    );
    const confidence = draftConfidence(context ?? null, entitlement, revisionNotes.length > 0);
    return {
      kind: "tool",
      toolName: "draft_reply",
      input: source ? { body, confidence: groundedConfidence(confidence, source.score), sources: [source.articleId] } : { body, confidence },
      say: revisionNotes.length ? `Redrafting with the reviewer's note: ${revisionNotes.at(-1)}` : undefined,
    };
  }
  const draft = lastOf(outcomes, "draft_reply")!.output as { body: string } | null;
  return { kind: "tool", toolName: "send_reply", input: { body: draft?.body ?? "" } };
}

/** How sure the composed holding reply is right: a recognised category, a known customer, no risky topic. */
export function draftConfidence(context: { categoryMatched: boolean; risky: boolean } | null, entitlement: Entitlement | null, revised: boolean): number {
  let confidence = context?.categoryMatched ? 0.86 : 0.62;
  if (!entitlement || entitlement.tier === "unknown") confidence -= 0.1;
  if (context?.risky) confidence -= 0.2;
  if (revised) confidence = Math.min(0.95, confidence + 0.05);
  return Math.round(confidence * 100) / 100;
}

const usage = (): LanguageModelV4Usage => ({
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
});

/** Chooses the next step from the prompt and the tools offered. */
export type StepFunction = (prompt: LanguageModelV4Prompt, available?: string[]) => Step;

export class OfflineTriageModel implements LanguageModelV4 {
  readonly specificationVersion = "v4";
  readonly provider = "support-triage";
  readonly supportedUrls = {};
  private calls = 0;

  /** `stepFor` is the plan it follows: the triage plan by default (worker/agent/models/proposed-reply.ts has another). */
  constructor(
    private readonly stepFor: StepFunction = nextStep,
    readonly modelId: string = "offline-triage",
  ) {}

  private content(options: LanguageModelV4CallOptions): { content: LanguageModelV4Content[]; finishReason: LanguageModelV4FinishReason } {
    const step = this.stepFor(
      options.prompt,
      options.tools?.map((t) => t.name),
    );
    if (step.kind === "text") {
      return { content: [{ type: "text", text: step.text }], finishReason: { unified: "stop", raw: "stop" } };
    }
    const content: LanguageModelV4Content[] = [];
    if (step.say) content.push({ type: "text", text: step.say });
    content.push({
      type: "tool-call",
      toolCallId: `call_${++this.calls}_${step.toolName}`,
      toolName: step.toolName,
      input: JSON.stringify(step.input),
    });
    return { content, finishReason: { unified: "tool-calls", raw: "tool_calls" } };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { content, finishReason } = this.content(options);
    return { content, finishReason, usage: usage(), warnings: [] };
  }

  async doStream(options: LanguageModelV4CallOptions) {
    const { content, finishReason } = this.content(options);
    const parts: LanguageModelV4StreamPart[] = [{ type: "stream-start", warnings: [] }];
    content.forEach((c, i) => {
      if (c.type === "text") {
        const id = `text_${i}`;
        parts.push({ type: "text-start", id });
        // Word-sized deltas, as a hosted model would stream them.
        for (const word of c.text.match(/\S+\s*/g) ?? [c.text]) parts.push({ type: "text-delta", id, delta: word });
        parts.push({ type: "text-end", id });
      } else if (c.type === "tool-call") {
        parts.push({ type: "tool-input-start", id: c.toolCallId, toolName: c.toolName });
        parts.push({ type: "tool-input-delta", id: c.toolCallId, delta: c.input });
        parts.push({ type: "tool-input-end", id: c.toolCallId });
        parts.push(c);
      }
    });
    parts.push({ type: "finish", usage: usage(), finishReason });
    return {
      stream: new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          for (const p of parts) controller.enqueue(p);
          controller.close();
        },
      }),
    };
  }
}
