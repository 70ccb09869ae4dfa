import { redirect } from "react-router";
import type { Route } from "./+types/logout";
import { destroySession } from "../../worker/auth/session";
import { envOf } from "../lib/access.server";

export async function action({ context, request }: Route.ActionArgs) {
  const cookie = await destroySession(envOf(context), request);
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
