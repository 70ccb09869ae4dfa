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
interface Env {
  /** base64 of 32 random bytes: seals connector secrets at rest (AES-GCM). */
  CONNECTOR_SECRETS_KEY?: string;
}
declare namespace Cloudflare {
  interface Env {
    CONNECTOR_SECRETS_KEY?: string;
  }
}
interface Env {
  /** Bearer token for the operators' global kill switch (PUT /api/ops/kill-switch). */
  OPS_TOKEN?: string;
}
declare namespace Cloudflare {
  interface Env {
    OPS_TOKEN?: string;
  }
}
