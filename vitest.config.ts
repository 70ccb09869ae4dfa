import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import agents from "agents/vite";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the real bindings from wrangler.jsonc:
// D1 (migrated fresh per test file), the account agent Durable Object and the
// triage Workflow. Only the dashboard's server build is replaced (see below).
export default defineConfig(async () => ({
  plugins: [
    agents(),
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations("./drizzle"),
          // Tests never reach OpenAI, whatever a developer's .dev.vars says.
          OPENAI_API_KEY: "",
        },
      },
    }),
  ],
  resolve: {
    alias: {
      // The React Router build exists only under Vite's app build; the dashboard is
      // covered by the Playwright suite against the real dev server.
      "virtual:react-router/server-build": new URL("./test/no-dashboard-build.ts", import.meta.url).pathname,
    },
  },
  test: {
    include: ["worker/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 30_000,
  },
}));
