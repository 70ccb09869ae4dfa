import { data, Form, redirect, redirectDocument, useNavigation } from "react-router";
import {
  accessConfig,
  checkCredentials,
  checkLoginAllowed,
  clearReturnToCookie,
  createSession,
  getSessionUser,
  oidcConfig,
  recordLoginAttempt,
  returnToOf,
} from "../../worker/http/dashboard";
import { Logo } from "../components/Logo";
import { envOf } from "../lib/access.server";
import { readFormData } from "../lib/form";
import type { Route } from "./+types/login";

export const meta: Route.MetaFunction = () => [{ title: "Sign in · Support Triage" }];

export async function loader({ context, request }: Route.LoaderArgs) {
  const env = envOf(context);
  const user = await getSessionUser(env, request);
  if (user) {
    const returnTo = returnToOf(request);
    throw returnTo ? redirectDocument(returnTo, { headers: { "Set-Cookie": clearReturnToCookie(request) } }) : redirect("/");
  }
  // Sent here by the MCP consent page: it comes back after sign-in (worker/identity/return-to.ts).
  return { ...signInOptions(env), connectingApp: returnToOf(request) !== null };
}

/** Which other ways to sign in this deployment offers: flags and a label only, never a secret. */
function signInOptions(env: Env) {
  const oidc = oidcConfig(env);
  return { oidc: oidc !== null, oidcName: oidc?.name ?? "SSO", access: accessConfig(env) !== null };
}

export async function action({ context, request }: Route.ActionArgs) {
  const env = envOf(context);
  const form = await readFormData(request);
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) {
    return data({ error: "Enter your email and password", email }, { status: 400 });
  }
  // Attempt limits per address and per IP (worker/identity/login-limits.ts), as for POST /api/session.
  const allowed = await checkLoginAllowed(env, request, email);
  if (!allowed.ok) {
    const message = allowed.message.charAt(0).toUpperCase() + allowed.message.slice(1);
    return data({ error: message, email }, { status: 429, headers: { "Retry-After": String(allowed.retryAfterSeconds) } });
  }
  const user = await checkCredentials(env, email, password);
  await recordLoginAttempt(env, request, email, !!user);
  if (!user) {
    return data({ error: "Wrong email or password", email }, { status: 401 });
  }
  const { cookie } = await createSession(env, request, user.id);
  const returnTo = returnToOf(request);
  if (returnTo) {
    // A full page load: the consent page sets its own cookies and must see the real URL.
    const headers = new Headers();
    headers.append("Set-Cookie", cookie);
    headers.append("Set-Cookie", clearReturnToCookie(request));
    return redirectDocument(returnTo, { headers });
  }
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}

const DEMO_USERS = ["agent@demo.test", "lead@demo.test", "admin@demo.test"];

export default function Login({ actionData, loaderData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formAction === "/login";
  const error = actionData?.error;

  return (
    <main className="flex min-h-screen items-center justify-center bg-neutral-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-5 flex items-center gap-2">
          <Logo />
          <span className="text-sm font-semibold tracking-tight">Support Triage</span>
        </div>
        <div className="rounded-lg border border-neutral-200 bg-white p-6 shadow-sm">
          <h1 className="text-base font-semibold">Sign in</h1>
          <p className="mt-1 text-xs text-neutral-500" data-testid="login-purpose">
            {loaderData?.connectingApp
              ? "Sign in to connect an app to your account. You will see what it asks for before anything is granted."
              : "Review and send the replies your support agent drafts."}
          </p>

          <Form method="post" className="mt-5 space-y-4" aria-describedby={error ? "login-error" : undefined}>
            <div>
              <label htmlFor="login-email" className="block text-xs font-medium text-neutral-700">
                Email
              </label>
              <input
                id="login-email"
                name="email"
                type="email"
                autoComplete="username"
                required
                autoFocus
                defaultValue={actionData?.email ?? ""}
                data-testid="login-email"
                aria-invalid={error ? true : undefined}
                className="mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm outline-none placeholder:text-neutral-400 focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200"
                placeholder="you@company.com"
              />
            </div>
            <div>
              <label htmlFor="login-password" className="block text-xs font-medium text-neutral-700">
                Password
              </label>
              <input
                id="login-password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                data-testid="login-password"
                aria-invalid={error ? true : undefined}
                className="mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200"
              />
            </div>

            {error ? (
              <p
                id="login-error"
                role="alert"
                data-testid="login-error"
                className="rounded-md border border-red-200 bg-red-50 px-2.5 py-1.5 text-xs text-red-700"
              >
                {error}
              </p>
            ) : null}

            <button
              type="submit"
              disabled={submitting}
              data-testid="login-submit"
              className="w-full rounded-md bg-neutral-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-neutral-800 disabled:opacity-60"
            >
              {submitting ? "Signing in…" : "Sign in"}
            </button>
          </Form>

          {loaderData?.oidc || loaderData?.access ? (
            <div className="mt-5 space-y-2 border-t border-neutral-200 pt-4">
              {/* Plain links: a full-page navigation to the provider, not a client-side fetch. */}
              {loaderData.oidc ? (
                <a
                  href="/auth/oidc/start"
                  data-testid="login-oidc"
                  className="block w-full rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-center text-sm font-medium hover:bg-neutral-50"
                >
                  Sign in with {loaderData.oidcName}
                </a>
              ) : null}
              {loaderData.access ? (
                <a
                  href="/auth/access"
                  data-testid="login-access"
                  className="block w-full rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-center text-sm font-medium hover:bg-neutral-50"
                >
                  Continue with Cloudflare Access
                </a>
              ) : null}
            </div>
          ) : null}
        </div>

        <div className="mt-4 rounded-lg border border-dashed border-neutral-300 bg-white/60 px-4 py-3 text-xs text-neutral-600">
          <p className="font-medium text-neutral-700">Demo sign-ins</p>
          <ul className="mt-1 space-y-0.5 font-mono text-[12px]">
            {DEMO_USERS.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
          <p className="mt-1.5">
            password: see <code className="font-mono">.dev.vars</code> (<code className="font-mono">DEMO_PASSWORD</code>)
          </p>
        </div>
      </div>
    </main>
  );
}
