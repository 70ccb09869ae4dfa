import { availableParallelism } from "node:os";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import agents from "agents/vite";
import { defineConfig } from "vitest/config";
import { startFakeOpenAI } from "./test/fake-openai.ts";
import { startFakeAccess } from "./test/fakes/access.ts";
import { startFakeHelpDesks } from "./test/fakes/help-desks.ts";
import { startOidcProvider } from "./test/fakes/oidc-provider.ts";
import { startFakeStripe } from "./test/fakes/stripe.ts";
import { OIDC_TEST_ACCOUNTS, OIDC_TEST_CLIENT } from "./test/oidc-fixtures.ts";

// Tests run inside workerd with the real bindings from wrangler.jsonc: D1
// (migrated fresh per test file), the account agent Durable Object and the
// triage Workflow. Two projects differ only in the model: the built-in offline
// model, and @ai-sdk/openai against a local server speaking OpenAI's wire format.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./drizzle");
  const fakeOpenAI = await startFakeOpenAI();
  // Every help desk the outbound connectors call, under /zendesk, /helpscout, …
  const fakeHelpDesks = await startFakeHelpDesks();
  // A second instance for the end-to-end intake tests, so the connector unit
  // tests' resets and scripted failures (files run in parallel) never reach them.
  const fakeHelpDesksE2E = await startFakeHelpDesks();
  // A third for the delegated-token tests (worker/delegation), whose OAuth grants
  // and short token lifetimes must not meet the other files' resets.
  const fakeHelpDesksDelegation = await startFakeHelpDesks();
  // A fourth for the triage write-back tests (worker/triage/write-back.test.ts), which
  // count each help desk's requests and script failures of their own.
  const fakeHelpDesksWriteBack = await startFakeHelpDesks();
  // A fifth for the requester lookups (worker/triage/identify-requester.test.ts), which
  // count each help desk's people requests (the cache must save the second call).
  const fakeHelpDesksPeople = await startFakeHelpDesks();
  // A real OpenID Provider (oidc-provider) for worker/identity/oidc.test.ts, which
  // reaches the Worker as https://triage.test; and a Cloudflare Access team domain.
  const oidcProvider = await startOidcProvider({
    clients: [{ ...OIDC_TEST_CLIENT, redirect_uris: ["https://triage.test/auth/oidc/callback"] }],
    accounts: OIDC_TEST_ACCOUNTS,
    testSigning: true,
    title: "Test IdP",
    unref: true,
  });
  const fakeAccess = await startFakeAccess();
  // Stripe for the entitlement lookups (worker/billing): data per API key, so files never meet.
  const fakeStripe = await startFakeStripe();

  const project = (name: string, include: string[], exclude: string[], bindings: Record<string, string>) => ({
    plugins: [
      agents(),
      cloudflareTest({
        wrangler: { configPath: "./wrangler.jsonc" },
        miniflare: {
          // A fixed test key: connector secrets are sealed with it in test/fixtures.ts.
          // The help-desk fakes listen on 127.0.0.1: the development exception of worker/integrations/common/outbound-url.ts.
          bindings: {
            TEST_MIGRATIONS: migrations,
            CONNECTOR_SECRETS_KEY: "dGVzdC1rZXktZm9yLWNvbm5lY3Rvci1zZWNyZXRzISE=",
            OUTBOUND_ALLOW_LOOPBACK: "1",
            ALLOWED_ORIGINS: "https://dashboard.triage.test",
            ...bindings,
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
    test: { name, include, exclude, setupFiles: ["./test/setup.ts"], testTimeout: 30_000, fsModuleCache: false },
  });

  return {
    test: {
      // Off: with it, a new test worker is sent every cached module of its
      // import graph in one WebSocket message, which workerd caps at 1 MiB
      // ("Message is too large", and every later test file fails to start);
      // the classifier's weights (worker/agent/models/classifier/*.json) alone
      // are 0.85 MB. Each module still travels in a message of its own, so no
      // one module may near 1 MiB.
      fsModuleCache: false,
      // Vitest's default on 2 cores is one file at a time; the files mostly wait on
      // workerd (module loading, Workflows), so two at once cut the run by a fifth.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      projects: [
        // Tests never reach OpenAI, whatever a developer's .dev.vars says.
        project("offline-model", ["worker/**/*.test.ts"], ["worker/**/*.openai.test.ts"], {
          OPENAI_API_KEY: "",
          OPS_TOKEN: "test-ops-token",
          FAKE_HELPDESK_URL: fakeHelpDesks.url,
          FAKE_HELPDESK_E2E_URL: fakeHelpDesksE2E.url,
          FAKE_HELPDESK_DELEGATION_URL: fakeHelpDesksDelegation.url,
          FAKE_HELPDESK_WRITEBACK_URL: fakeHelpDesksWriteBack.url,
          FAKE_HELPDESK_PEOPLE_URL: fakeHelpDesksPeople.url,
          OIDC_ISSUER: oidcProvider.issuer,
          OIDC_CLIENT_ID: OIDC_TEST_CLIENT.client_id,
          OIDC_CLIENT_SECRET: OIDC_TEST_CLIENT.client_secret,
          OIDC_NAME: "Test IdP",
          ACCESS_TEAM_DOMAIN: fakeAccess.url,
          ACCESS_AUD: "test-access-aud",
          FAKE_STRIPE_URL: fakeStripe.url,
        }),
        project("openai-wire", ["worker/**/*.openai.test.ts"], [], {
          OPENAI_API_KEY: "test-openai-key",
          OPENAI_BASE_URL: fakeOpenAI.url,
          OPENAI_MODEL: "gpt-test",
        }),
      ],
    },
  };
});
