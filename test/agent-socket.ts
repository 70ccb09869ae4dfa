// A dashboard's WebSocket to the account agent, as the browser opens it
// (session cookie), with its RPC calls and the queue events it receives.
import { exports } from "cloudflare:workers";
import type { QueueEvent } from "../worker/domain/types";

export interface RpcReply<T = unknown> {
  type: string;
  id?: string;
  success?: boolean;
  result?: T;
  error?: string;
}

export async function openAgentSocket(account: string, sessionToken: string, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(`https://triage.test/agents/account-agent/${account}`, {
    headers: { upgrade: "websocket", cookie: `st_session=${sessionToken}`, origin: "https://triage.test", ...headers },
  });
  if (res.status !== 101) throw new Error(`WebSocket refused: ${res.status} ${await res.text()}`);
  const ws = res.webSocket!;
  const messages: { type: string; [k: string]: unknown }[] = [];
  const raw: string[] = [];
  ws.accept();
  ws.addEventListener("message", (e) => {
    raw.push(e.data as string);
    messages.push(JSON.parse(e.data as string));
  });
  let seq = 0;
  const waitFor = async <T>(pick: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pick();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    ws,
    messages,
    /** The raw frames, to measure their size. */
    raw,
    queueEvents: () => messages.filter((m) => m.type.startsWith("queue.")) as unknown as QueueEvent[],
    waitFor,
    async rpc<T = unknown>(method: string, args: unknown[]): Promise<RpcReply<T>> {
      const id = `r${++seq}`;
      ws.send(JSON.stringify({ type: "rpc", id, method, args }));
      return waitFor(() => messages.find((m) => m.type === "rpc" && m.id === id) as RpcReply<T> | undefined, `rpc reply to ${method}`);
    },
    close: () => ws.close(),
  };
}
