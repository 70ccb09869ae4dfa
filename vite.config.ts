import path from "node:path";
import { cloudflare } from "@cloudflare/vite-plugin";
import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import agents from "agents/vite";
import { defineConfig, type Plugin } from "vite";
import { ssoVarsFrom } from "./scripts/lib/sso-env.ts";

export default defineConfig(({ command, isPreview }) => ({
  plugins: [
    agents(),
    // STATE_DIR moves the local state (D1, Durable Objects, Workflows) out of
    // .wrangler/state; scripts/lib/paths.ts passes the same dir to wrangler.
    cloudflare({
      viteEnvironment: { name: "ssr" },
      persistState: process.env.STATE_DIR ? { path: path.resolve(process.env.STATE_DIR) } : true,
      // `OIDC_ISSUER=… npm start`: sign-in settings from the environment reach the
      // dev Worker (scripts/lib/sso-env.ts). Dev only: a build must never bake them in.
      ...(command === "serve" && !isPreview ? { config: { vars: ssoVarsFrom(process.env) } } : {}),
    }),
    tailwindcss(),
    reactRouter(),
    withoutRe2Probe(),
  ],
  // Optimize dependencies at start-up, not on first use: a late discovery (in the
  // browser or in the Worker) makes Vite reload the page under a user or a test.
  optimizeDeps: {
    include: [
      "react",
      "react-dom",
      "react-dom/client",
      "react-router",
      "react-router/dom",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "agents/react",
      "recharts",
      // worker/domain modules the pages use (attachments, knowledge) validate with zod.
      "zod",
    ],
  },
  environments: {
    ssr: {
      optimizeDeps: {
        include: [
          "@ai-sdk/openai",
          "@cloudflare/ai-chat",
          "@cloudflare/workers-oauth-provider",
          "@modelcontextprotocol/server",
          "agents",
          "agents/mcp/server",
          "agents/react",
          "ai",
          "drizzle-orm",
          "drizzle-orm/d1",
          "drizzle-orm/sqlite-core",
          "isbot",
          "jose",
          "oauth4webapi",
          "react",
          "react-dom/server",
          "react-router",
          "react/jsx-dev-runtime",
          "recharts",
          "zod",
        ],
      },
    },
  },
  server: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 5173),
    strictPort: true,
    // Vite keeps a server error for the next page that connects and covers it with an
    // overlay; in the browser tests one aborted request would then block the next test's
    // clicks. The error is still printed by the server.
    hmr: { overlay: process.env.VITE_ERROR_OVERLAY !== "off" },
  },
  preview: { host: "127.0.0.1" },
}));

/**
 * email-reply-parser (worker/integrations/common/reply-text.ts) probes for the
 * optional native `re2` module through `createRequire(import.meta.url)`. In a
 * built Worker `import.meta.url` is undefined, so that call throws while the
 * module loads and the Worker does not start. Without the probe the parser
 * uses JavaScript's RegExp, as it does whenever re2 is absent.
 */
function withoutRe2Probe(): Plugin {
  return {
    name: "email-reply-parser-without-re2-probe",
    transform(code, id) {
      if (!id.includes("email-reply-parser/dist/regex.js")) return null;
      const probe = "createRequire(import.meta.url)";
      if (!code.includes(probe)) throw new Error("email-reply-parser changed: check that its re2 probe still needs replacing (vite.config.ts)");
      return code.replace(probe, '(() => { throw new Error("re2 is not available in a Worker"); })');
    },
  };
}
