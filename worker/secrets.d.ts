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
interface Env {
  /** Single sign-on with OpenID Connect (worker/identity/oidc.ts); all three set = the button shows. */
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  /** A secret: `wrangler secret put OIDC_CLIENT_SECRET`. */
  OIDC_CLIENT_SECRET?: string;
  /** The button label after "Sign in with" (e.g. "Okta"); "SSO" when unset. */
  OIDC_NAME?: string;
  /** Cloudflare Access (worker/identity/access.ts): https://<team>.cloudflareaccess.com */
  ACCESS_TEAM_DOMAIN?: string;
  /** The Access application's Audience (AUD) tag. */
  ACCESS_AUD?: string;
}
declare namespace Cloudflare {
  interface Env {
    OIDC_ISSUER?: string;
    OIDC_CLIENT_ID?: string;
    OIDC_CLIENT_SECRET?: string;
    OIDC_NAME?: string;
    ACCESS_TEAM_DOMAIN?: string;
    ACCESS_AUD?: string;
  }
}
interface Env {
  /** Other origins whose pages may use a person's session (comma-separated); the app's own always may. */
  ALLOWED_ORIGINS?: string;
  /**
   * "1" lets help-desk connectors call loopback and plain-http hosts (the local
   * fake help desks in tests and `npm start`). Development only: never set it
   * when deployed (worker/integrations/common/outbound-url.ts).
   */
  OUTBOUND_ALLOW_LOOPBACK?: string;
}
declare namespace Cloudflare {
  interface Env {
    ALLOWED_ORIGINS?: string;
    OUTBOUND_ALLOW_LOOPBACK?: string;
  }
}
