// Sign-in settings `npm start` (vite dev) takes from its own environment.
//
// The Worker's variables in development come from wrangler.jsonc `vars` and
// .dev.vars; the Cloudflare Vite plugin ignores process.env while .dev.vars
// exists (CLOUDFLARE_INCLUDE_PROCESS_ENV only applies without one). So
// vite.config.ts copies these names from process.env into the dev Worker's
// `vars` (only for `vite dev`, never into a build). A value in .dev.vars wins
// over the same name in the environment.
export const SSO_ENV_NAMES = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME", "ACCESS_TEAM_DOMAIN", "ACCESS_AUD"] as const;

/** The SSO_ENV_NAMES set (non-empty) in `env`. */
export function ssoVarsFrom(env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const name of SSO_ENV_NAMES) {
    const value = env[name];
    if (value) vars[name] = value;
  }
  return vars;
}
