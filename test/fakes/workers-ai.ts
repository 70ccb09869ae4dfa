// A stand-in for the Workers AI binding (`env.AI`), which has no local
// simulation: an object with `run(model, inputs, options)` that answers in
// Workers AI's own formats, so the real workers-ai-provider code runs in tests.
// Runs inside workerd (the test isolate), not in Node.
//
// - Without `stream`: the documented chat-with-tools answer,
//   `{ response, tool_calls: [{ name, arguments }], usage }`.
// - With `stream: true`: a ReadableStream of server-sent events in the native
//   format, `data: {"response":"…"}` for text, tool calls as
//   `data: {"tool_calls":[{ id, type, index, function: { name, arguments } }]}`
//   followed by argument pieces and a null-finalisation chunk (what
//   workers-ai-provider's src/streaming.ts parses), then usage and `data: [DONE]`.
//
// It plays the triage plan a well-behaved model would, one tool call per turn
// (like test/fake-openai.ts), answers a gloss request with a recognisable
// "translation", and records every call for assertions.

/** A message as the provider sends it to the binding (OpenAI-like roles; tool results carry the tool's name). */
export interface WorkersAiMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  name?: string;
  tool_call_id?: string;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
}

export interface WorkersAiInputs {
  messages: WorkersAiMessage[];
  tools?: { type: "function"; function: { name: string; description?: string; parameters?: unknown } }[];
  tool_choice?: unknown;
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
}

export interface RecordedRun {
  model: string;
  inputs: WorkersAiInputs;
}

type Turn = { text?: string; tool?: { name: string; args: Record<string, unknown> } };

const USAGE = { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 };

export const FAKE_DRAFT_PREFIX = "Hello from Workers AI";

function nextTurn(inputs: WorkersAiInputs): Turn {
  const { messages } = inputs;
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (system.includes("into English")) return { text: `[English] ${messages.find((m) => m.role === "user")?.content ?? ""}` };

  const results = messages.filter((m) => m.role === "tool").map((m) => ({ tool: m.name ?? "", content: m.content }));
  const done = (name: string) => results.filter((r) => r.tool === name);
  const header = messages.find((m) => m.role === "user")?.content ?? "";
  const ticketId = header.match(/ticket_id: (.+)/)?.[1]?.trim() ?? "";
  const email = header.match(/requester_email: (.+)/)?.[1]?.trim() ?? "";

  if (!done("read_ticket").length) {
    return {
      text: "Plan: read_ticket → lookup_entitlement → summarize_context → draft_reply → send_reply\n",
      tool: { name: "read_ticket", args: { ticket_id: ticketId } },
    };
  }
  if (!done("lookup_entitlement").length) return { tool: { name: "lookup_entitlement", args: { email } } };
  if (!done("summarize_context").length) return { tool: { name: "summarize_context", args: { ticket_id: ticketId } } };
  const sends = done("send_reply");
  const drafts = done("draft_reply");
  const lastSend = sends.at(-1);
  if (lastSend && sends.length >= drafts.length && !/revise:/.test(lastSend.content)) {
    return { text: /denied|rejected/i.test(lastSend.content) ? "Understood, nothing was sent." : "Handed to delivery." };
  }
  if (drafts.length <= sends.length) {
    const body = `${FAKE_DRAFT_PREFIX} (round ${drafts.length + 1}). We are on it and will reply within your SLA.\n\nSupport`;
    return { tool: { name: "draft_reply", args: { body, confidence: 0.8 } } };
  }
  const draft = JSON.parse(drafts.at(-1)!.content) as { body: string };
  return { tool: { name: "send_reply", args: { body: draft.body } } };
}

function sse(turn: Turn, callId: string): ReadableStream<Uint8Array> {
  const events: unknown[] = [];
  if (turn.text) {
    // Text arrives a few words at a time.
    for (const piece of turn.text.split(/(?<= )/)) events.push({ response: piece });
  }
  if (turn.tool) {
    const args = JSON.stringify(turn.tool.args);
    const mid = Math.floor(args.length / 2);
    events.push({ response: "", tool_calls: [{ id: callId, type: "function", index: 0, function: { name: turn.tool.name, arguments: "" } }] });
    for (const piece of [args.slice(0, mid), args.slice(mid)]) events.push({ response: "", tool_calls: [{ index: 0, function: { arguments: piece } }] });
    events.push({ response: "", tool_calls: [{ id: null, type: null, index: 0, function: { name: null, arguments: null } }] });
  }
  events.push({ response: "", usage: USAGE });
  const encoder = new TextEncoder();
  const lines = [...events.map((e) => `data: ${JSON.stringify(e)}\n\n`), "data: [DONE]\n\n"];
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const line = lines.shift();
      if (line === undefined) controller.close();
      else controller.enqueue(encoder.encode(line));
    },
  });
}

/** The fake binding. Pass `asBinding()` where an `Ai` is expected. */
export class FakeWorkersAI {
  readonly runs: RecordedRun[] = [];
  private n = 0;

  async run(model: string, inputs: WorkersAiInputs, _options?: unknown): Promise<unknown> {
    if (!model.startsWith("@cf/")) throw new Error(`AiError: 5007: No such model ${model} or task`);
    this.runs.push({ model, inputs: structuredClone(inputs) });
    const turn = nextTurn(inputs);
    const callId = `chatcmpl-tool-${++this.n}`;
    if (inputs.stream) return sse(turn, callId);
    return {
      response: turn.text ?? "",
      tool_calls: turn.tool ? [{ name: turn.tool.name, arguments: turn.tool.args }] : [],
      usage: USAGE,
    };
  }

  asBinding(): Ai {
    return this as unknown as Ai;
  }
}
