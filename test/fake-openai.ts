// A local server that speaks OpenAI's Chat Completions wire format (streaming
// SSE and plain JSON), so the real @ai-sdk/openai client code runs in tests.
// It plays the triage plan a well-behaved model would, one tool call per turn,
// and records every request for assertions. Node only; 127.0.0.1 only.
// A ticket whose text contains TEXT_ONLY_MARKER gets a model that searches the
// team's knowledge and then ends its turn with text, proposing no reply.
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface RecordedRequest {
  authorization: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
    tools?: { function: { name: string } }[];
  };
}

type Turn = { tool: string; args: Record<string, unknown> } | { text: string };

/** In a ticket's subject or body: the fake stops after reading and searching, without draft_reply or send_reply. */
const TEXT_ONLY_MARKER = "[fake-openai: text only]";

function nextTurn(req: RecordedRequest["body"]): Turn {
  // A gloss request (worker/agent/gloss.ts): answer with a recognisable "translation".
  const system = String(req.messages.find((m) => m.role === "system")?.content ?? "");
  if (system.includes("into English")) return { text: `[English] ${String(req.messages.find((m) => m.role === "user")?.content ?? "")}` };
  const calls = new Map<string, string>(); // tool_call_id -> tool name
  for (const m of req.messages) for (const c of m.tool_calls ?? []) calls.set(c.id, c.function.name);
  const results = req.messages.filter((m) => m.role === "tool").map((m) => ({ tool: calls.get(m.tool_call_id!)!, content: String(m.content) }));
  const done = (name: string) => results.filter((r) => r.tool === name);
  const header = String(req.messages.find((m) => m.role === "user")?.content ?? "");
  const ticketId = header.match(/ticket_id: (.+)/)?.[1]?.trim() ?? "";
  const email = header.match(/requester_email: (.+)/)?.[1]?.trim() ?? "";

  if (!done("read_ticket").length) return { tool: "read_ticket", args: { ticket_id: ticketId } };
  if (!done("lookup_entitlement").length) return { tool: "lookup_entitlement", args: { email } };
  if (!done("summarize_context").length) return { tool: "summarize_context", args: { ticket_id: ticketId } };
  const read = done("read_ticket")[0]?.content ?? "";
  if (read.includes(TEXT_ONLY_MARKER)) {
    const offered = (req.tools ?? []).some((t) => t.function.name === "search_knowledge");
    if (offered && !done("search_knowledge").length) {
      const { subject = "", body = "" } = JSON.parse(read) as { subject?: string; body?: string };
      return { tool: "search_knowledge", args: { query: `${subject}\n\n${body}`.replace(TEXT_ONLY_MARKER, "").trim().slice(0, 2000) } };
    }
    return { text: "I am not sure how to answer this customer, so I am not proposing a reply." };
  }
  const sends = done("send_reply");
  const drafts = done("draft_reply");
  const lastSend = sends.at(-1);
  if (lastSend && sends.length >= drafts.length) {
    if (!/revise:/.test(lastSend.content)) return { text: /denied|rejected/i.test(lastSend.content) ? "Understood, nothing was sent." : "Handed to delivery." };
  }
  if (drafts.length <= sends.length) {
    const body = `Hello from the hosted model (round ${drafts.length + 1}). We are on it and will reply within your SLA.\n\nSupport`;
    return { tool: "draft_reply", args: { body, confidence: 0.8 } };
  }
  const draft = JSON.parse(drafts.at(-1)!.content) as { body: string };
  return { tool: "send_reply", args: { body: draft.body } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let data = "";
  for await (const chunk of req) data += chunk;
  return data;
}

/** Each completion takes this long, as a hosted model's do, so overlapping calls can be seen. */
const LATENCY_MS = 60;

export async function startFakeOpenAI(): Promise<{ url: string; requests: RecordedRequest[]; server: Server }> {
  const requests: RecordedRequest[] = [];
  let n = 0;
  // How many completions were in progress at once, at most (since the last reset).
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/v1/_requests") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(requests));
      return;
    }
    if (req.url === "/v1/_concurrency") {
      if (req.method === "DELETE") maxInFlight = inFlight;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ maxInFlight }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as RecordedRequest["body"];
    requests.push({ authorization: req.headers.authorization, body });
    if (req.headers.authorization !== "Bearer test-openai-key") {
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }));
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    await new Promise((r) => setTimeout(r, LATENCY_MS));
    const turn = nextTurn(body);
    const id = `chatcmpl-${++n}`;
    const base = { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: body.model };
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    const toolCall = "tool" in turn ? { id: `call_${n}`, type: "function", function: { name: turn.tool, arguments: JSON.stringify(turn.args) } } : null;
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          ...base,
          object: "chat.completion",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "text" in turn ? turn.text : null, tool_calls: toolCall ? [toolCall] : undefined },
              finish_reason: toolCall ? "tool_calls" : "stop",
            },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
    if (toolCall) {
      send({
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              role: "assistant",
              content: null,
              tool_calls: [{ index: 0, id: toolCall.id, type: "function", function: { name: toolCall.function.name, arguments: "" } }],
            },
            finish_reason: null,
          },
        ],
      });
      // Arguments arrive in pieces, as OpenAI streams them.
      const args = toolCall.function.arguments;
      const mid = Math.floor(args.length / 2);
      for (const piece of [args.slice(0, mid), args.slice(mid)]) {
        send({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, finish_reason: null }] });
      }
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
    } else {
      send({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] });
      for (const word of (turn as { text: string }).text.split(/(?<= )/))
        send({ ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
    }
    send({ ...base, choices: [], usage });
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("fake OpenAI server did not start");
  server.unref();
  return { url: `http://127.0.0.1:${address.port}/v1`, requests, server };
}
