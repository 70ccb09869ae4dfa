import { AIChatAgent } from "@cloudflare/ai-chat";
export class SupportAgent extends AIChatAgent<Env> {
  async onChatMessage() { return new Response("hi"); }
}
