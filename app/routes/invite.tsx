// The one-time invitation link: joins the invited address to the account.
// Signed in as that address: one click. An existing user who is not signed in
// enters their password here; someone new sets their name and password.
// Either way they end up signed in, in the account.
import { data, Form, redirect, useNavigation } from "react-router";
import { HttpError } from "../../worker/domain/errors";
import {
  acceptInvitation,
  checkCredentials,
  checkLoginAllowed,
  createSession,
  findInvitation,
  getSessionUser,
  PASSWORD_MIN,
  recordLoginAttempt,
} from "../../worker/http/dashboard";
import { Logo } from "../components/Logo";
import { envOf } from "../lib/access.server";
import type { FieldError } from "../lib/connectors";
import { formText, readFormData } from "../lib/form";
import type { Route } from "./+types/invite";

export const meta: Route.MetaFunction = () => [{ title: "Invitation · Support Triage" }, { name: "robots", content: "noindex" }];

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const env = envOf(context);
  const [found, user] = await Promise.all([findInvitation(env, params.token), getSessionUser(env, request)]);
  const signedInAs = user ? { email: user.email, name: user.name } : null;
  if (!found.ok) return { ok: false as const, reason: found.reason, signedInAs };
  const { accountName, email, role, expiresAt } = found.invitation;
  return { ok: true as const, invitation: { accountName, email, role, expiresAt }, existingUser: found.existingUser, signedInAs, passwordMin: PASSWORD_MIN };
}

interface InviteActionData {
  error: string;
  fields?: FieldError[];
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const env = envOf(context);
  const form = await readFormData(request);
  const text = formText(form);
  const fail = (status: number, error: string, fields: FieldError[] = [], headers?: HeadersInit) =>
    data<InviteActionData>({ error, fields }, { status, headers });
  try {
    const user = await getSessionUser(env, request);
    if (user) {
      const joined = await acceptInvitation(env, params.token, { user });
      throw redirect(`/accounts/${encodeURIComponent(joined.accountId)}/queue`);
    }
    const found = await findInvitation(env, params.token);
    if (!found.ok) return fail(410, found.reason);
    let joined: { userId: string; accountId: string };
    if (found.existingUser) {
      // The invited address already has a sign-in: prove it with the password (same limits as /login).
      const email = found.invitation.email;
      const allowed = await checkLoginAllowed(env, request, email);
      if (!allowed.ok) return fail(429, allowed.message, [], { "Retry-After": String(allowed.retryAfterSeconds) });
      const existing = await checkCredentials(env, email, text("password"));
      await recordLoginAttempt(env, request, email, !!existing);
      if (!existing) return fail(401, "Wrong password", [{ path: "password", message: "wrong password" }]);
      joined = await acceptInvitation(env, params.token, {
        user: { id: existing.id, email: existing.email, name: existing.name, memberships: [] },
      });
    } else {
      if (text("password") !== text("confirm")) return fail(400, "The passwords do not match", [{ path: "confirm", message: "does not match" }]);
      joined = await acceptInvitation(env, params.token, { newUser: { name: text("name"), password: text("password") } });
    }
    const { cookie } = await createSession(env, request, joined.userId);
    throw redirect(`/accounts/${encodeURIComponent(joined.accountId)}/queue`, { headers: { "Set-Cookie": cookie } });
  } catch (err) {
    if (err instanceof HttpError) {
      return fail(err.status, err.message, err.fields);
    }
    throw err;
  }
}

const input =
  "mt-1 block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-1.5 text-sm outline-none focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200 aria-[invalid=true]:border-red-400";

export default function Invite({ loaderData, actionData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle";
  const fieldMessage = (path: string) => actionData?.fields?.find((f) => f.path === path)?.message;

  return (
    <main className="flex min-h-screen items-center justify-center bg-neutral-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-5 flex items-center gap-2">
          <Logo />
          <span className="text-sm font-semibold tracking-tight">Support Triage</span>
        </div>
        <div className="rounded-lg border border-neutral-200 bg-white p-6 shadow-sm" data-testid="invite-page">
          {!loaderData.ok ? (
            <>
              <h1 className="text-base font-semibold">Invitation</h1>
              <p className="mt-2 text-sm text-neutral-700" role="alert" data-testid="invite-invalid">
                {loaderData.reason}
              </p>
            </>
          ) : (
            <>
              <h1 className="text-base font-semibold">Join {loaderData.invitation.accountName}</h1>
              <p className="mt-1 text-xs text-neutral-600">
                You are invited as <span className="font-medium">{loaderData.invitation.role}</span> with{" "}
                <span className="font-medium" data-testid="invite-for">
                  {loaderData.invitation.email}
                </span>
                .
              </p>

              {loaderData.signedInAs && loaderData.signedInAs.email.toLowerCase() !== loaderData.invitation.email ? (
                <div className="mt-4 space-y-3 text-xs text-neutral-700">
                  <p role="alert">
                    You are signed in as {loaderData.signedInAs.email}. This invitation is for {loaderData.invitation.email}: sign out, then open the link
                    again.
                  </p>
                  <Form method="post" action="/logout">
                    <button type="submit" className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-xs font-medium hover:bg-neutral-50">
                      Sign out
                    </button>
                  </Form>
                </div>
              ) : (
                <Form method="post" className="mt-5 space-y-4" noValidate>
                  {loaderData.signedInAs ? (
                    <p className="text-xs text-neutral-700">Signed in as {loaderData.signedInAs.email}.</p>
                  ) : loaderData.existingUser ? (
                    <div>
                      <label htmlFor="invite-password" className="block text-xs font-medium text-neutral-700">
                        Your password
                      </label>
                      <input
                        id="invite-password"
                        name="password"
                        type="password"
                        autoComplete="current-password"
                        required
                        className={input}
                        aria-invalid={fieldMessage("password") ? true : undefined}
                        data-testid="invite-password"
                      />
                    </div>
                  ) : (
                    <>
                      <input type="hidden" name="email" value={loaderData.invitation.email} autoComplete="username" />
                      <div>
                        <label htmlFor="invite-name" className="block text-xs font-medium text-neutral-700">
                          Your name
                        </label>
                        <input
                          id="invite-name"
                          name="name"
                          autoComplete="name"
                          required
                          maxLength={100}
                          className={input}
                          aria-invalid={fieldMessage("name") ? true : undefined}
                          data-testid="invite-name"
                        />
                      </div>
                      <div>
                        <label htmlFor="invite-new-password" className="block text-xs font-medium text-neutral-700">
                          Choose a password <span className="font-normal text-neutral-500">(at least {loaderData.passwordMin} characters)</span>
                        </label>
                        <input
                          id="invite-new-password"
                          name="password"
                          type="password"
                          autoComplete="new-password"
                          required
                          minLength={loaderData.passwordMin}
                          className={input}
                          aria-invalid={fieldMessage("password") ? true : undefined}
                          data-testid="invite-new-password"
                        />
                      </div>
                      <div>
                        <label htmlFor="invite-confirm" className="block text-xs font-medium text-neutral-700">
                          Repeat the password
                        </label>
                        <input
                          id="invite-confirm"
                          name="confirm"
                          type="password"
                          autoComplete="new-password"
                          required
                          className={input}
                          aria-invalid={fieldMessage("confirm") ? true : undefined}
                          data-testid="invite-confirm"
                        />
                      </div>
                    </>
                  )}

                  {actionData?.error ? (
                    <div role="alert" data-testid="invite-error" className="rounded-md border border-red-200 bg-red-50 px-2.5 py-1.5 text-xs text-red-700">
                      <p>{actionData.error}</p>
                      {actionData.fields?.length ? (
                        <ul className="mt-0.5 list-disc pl-4">
                          {actionData.fields.map((f) => (
                            <li key={`${f.path}:${f.message}`}>
                              {f.path}: {f.message}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </div>
                  ) : null}

                  <button
                    type="submit"
                    disabled={submitting}
                    data-testid="invite-accept"
                    className="w-full rounded-md bg-neutral-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-neutral-800 disabled:opacity-60"
                  >
                    {submitting ? "Joining…" : `Join ${loaderData.invitation.accountName}`}
                  </button>
                </Form>
              )}
            </>
          )}
        </div>
      </div>
    </main>
  );
}
