// GET /auth/access: a session from the request's Cloudflare Access assertion (resource route).
import type { LoaderFunctionArgs } from "react-router";
import { handleAccessSignIn } from "../../worker/http/dashboard";
import { envOf } from "../lib/access.server";

export function loader({ context, request }: LoaderFunctionArgs) {
  return handleAccessSignIn(envOf(context), request);
}
