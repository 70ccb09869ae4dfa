declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Base URL of test/fakes/help-desks.ts (offline-model project only). */
    FAKE_HELPDESK_URL?: string;
    /** A second fake instance, for the end-to-end intake tests. */
    FAKE_HELPDESK_E2E_URL?: string;
    /** A third, for the delegated-token tests. */
    FAKE_HELPDESK_DELEGATION_URL?: string;
    /** A fourth, for the triage write-back tests. */
    FAKE_HELPDESK_WRITEBACK_URL?: string;
    /** A fifth, for the requester lookups. */
    FAKE_HELPDESK_PEOPLE_URL?: string;
    /** Base URL of test/fakes/stripe.ts (offline-model project only). */
    FAKE_STRIPE_URL?: string;
  }
}
interface Env {
  TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  /** Base URL of test/fakes/help-desks.ts (offline-model project only). */
  FAKE_HELPDESK_URL?: string;
  FAKE_HELPDESK_E2E_URL?: string;
  FAKE_HELPDESK_DELEGATION_URL?: string;
  FAKE_HELPDESK_WRITEBACK_URL?: string;
  FAKE_HELPDESK_PEOPLE_URL?: string;
  FAKE_STRIPE_URL?: string;
}
