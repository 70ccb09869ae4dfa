// Secrets and optional settings that are not in wrangler.jsonc: set them in
// .dev.vars locally and with `wrangler secret put` when deployed.
interface Env {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  OPENAI_MODEL?: string;
}
declare namespace Cloudflare {
  interface Env {
    OPENAI_API_KEY?: string;
    OPENAI_BASE_URL?: string;
    OPENAI_MODEL?: string;
  }
}
