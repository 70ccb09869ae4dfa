// The test identity provider's client and accounts, shared by vitest.config.ts
// (Node, which starts test/fakes/oidc-provider.ts) and worker/identity/oidc.test.ts.
// Emails match test/fixtures.ts USERS unless said otherwise.
export const OIDC_TEST_CLIENT = {
  client_id: "support-triage-test",
  client_secret: "support-triage-test-secret",
} as const;

export const OIDC_TEST_ACCOUNTS = [
  { email: "agent@acme.test", name: "Alex Agent" },
  // Other capitalisation than the user row: matched case-insensitively.
  { email: "Lead@ACME.test", name: "Lee Lead" },
  { email: "someone@globex.test", name: "Gil Globex" },
  // The provider says this address is not verified: refused.
  { email: "admin@acme.test", name: "Ada Admin", emailVerified: false },
  // No user with this email: refused, no user created.
  { email: "unknown@nowhere.test", name: "Una Known" },
];
