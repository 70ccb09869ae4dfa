// Browser tests against one dev server for the whole run (2 cores: keep it lean).
// `scripts/start.ts` applies migrations, seeds the demo data into the local
// .wrangler state (the same state `npm start` uses) and starts `vite dev`.
// Chromium is Debian's (/usr/bin/chromium, see .ci/run): `npx playwright install`
// cannot download browsers on these machines.
import { defineConfig, devices } from "@playwright/test";

const PORT = 5199; // not 5173, so a developer's `npm start` can keep running
const BASE_URL = `http://127.0.0.1:${PORT}`;
// The local OpenID Provider (scripts/oidc-dev.ts) for e2e/oidc.spec.ts; the app
// gets its settings through the environment (vite.config.ts, scripts/lib/sso-env.ts).
const OIDC_PORT = 5299;
const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  reporter: "list",
  forbidOnly: !!process.env.CI,
  use: {
    ...devices["Desktop Chrome"],
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "chromium", testIgnore: /queue-volume\.spec\.ts/ },
    // Leaves a long queue open, so it runs after the rest.
    { name: "volume", testMatch: /queue-volume\.spec\.ts/, dependencies: ["chromium"] },
  ],
  webServer: [
    {
      command: "node scripts/oidc-dev.ts",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      env: { OIDC_DEV_PORT: String(OIDC_PORT) },
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: "node scripts/start.ts",
      url: `${BASE_URL}/login`,
      env: {
        PORT: String(PORT),
        // Its own, empty state each run: tests never see an earlier run's queue.
        STATE_DIR: ".wrangler/e2e-state",
        // No error overlay over the pages under test (vite.config.ts says why).
        VITE_ERROR_OVERLAY: "off",
        FRESH_STATE: "1",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        OIDC_ISSUER,
        OIDC_CLIENT_ID: "support-triage-local",
        OIDC_CLIENT_SECRET: "support-triage-local-secret",
        OIDC_NAME: "Local IdP",
      },
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      // SIGTERM lets Vite close workerd cleanly (the whole process group gets it).
      gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
    },
  ],
});
