// GET /auth/oidc/start: sends the browser to the identity provider (resource route).
import type { LoaderFunctionArgs } from "react-router";
import { handleOidcStart } from "../../worker/http/dashboard";
import { envOf } from "../lib/access.server";

export function loader({ context, request }: LoaderFunctionArgs) {
  return handleOidcStart(envOf(context), request);
}
