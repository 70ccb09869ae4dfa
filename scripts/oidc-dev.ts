// `npm run oidc:dev`: a local OpenID Provider on http://127.0.0.1:5299 to try
// "Sign in with SSO" without a real identity provider (and for the Playwright
// suite). It knows the demo users (agent@demo.test, lead@demo.test,
// admin@demo.test) and unknown@nowhere.test, who has no account in the app;
// any password works. Then, in another terminal:
//
//   OIDC_ISSUER=http://127.0.0.1:5299 OIDC_CLIENT_ID=support-triage-local \
//   OIDC_CLIENT_SECRET=support-triage-local-secret npm start
//
// OIDC_DEV_PORT moves it. It keeps its state in memory: a restart forgets
// sessions at the provider, which is all there is to forget.
import { LOCAL_CLIENT, localRedirectUris, startOidcProvider } from "../test/fakes/oidc-provider.ts";
import { DEMO_USERS } from "./seed.ts";

const port = Number(process.env.OIDC_DEV_PORT ?? 5299);
// The app's ports: `npm start` (5173), the Playwright suite (5199).
const appPorts = [5173, 5199];

const provider = await startOidcProvider({
  port,
  title: "Local OpenID Provider",
  clients: [{ ...LOCAL_CLIENT, redirect_uris: localRedirectUris(appPorts) }],
  accounts: [...DEMO_USERS.map((u) => ({ email: u.email, name: u.name })), { email: "unknown@nowhere.test", name: "Nobody Here" }],
});

console.log(`
  Local OpenID Provider on ${provider.issuer}   (Ctrl+C stops it)

  Start the app against it:
    OIDC_ISSUER=${provider.issuer} OIDC_CLIENT_ID=${LOCAL_CLIENT.client_id} OIDC_CLIENT_SECRET=${LOCAL_CLIENT.client_secret} npm start

  Then "Sign in with SSO" at http://127.0.0.1:5173/login as ${DEMO_USERS.map((u) => u.email).join(", ")}
  (any password), or unknown@nowhere.test to see a refusal.
`);

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    provider.stop().finally(() => process.exit(0));
  });
}
