import { redirect } from "react-router";
import { clearSessionCookie, destroySession, getSessionUser, revokeAllSessions } from "../../worker/http/dashboard";
import { envOf } from "../lib/access.server";
import { readFormData } from "../lib/form";
import type { Route } from "./+types/logout";

/** Signs out this browser, or with `scope=everywhere` every session of the user (API tokens stay). */
export async function action({ context, request }: Route.ActionArgs) {
  const env = envOf(context);
  const form = await readFormData(request);
  if (form.get("scope") === "everywhere") {
    const user = await getSessionUser(env, request);
    if (user) await revokeAllSessions(env, user.id);
    return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(request) } });
  }
  const cookie = await destroySession(env, request);
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
