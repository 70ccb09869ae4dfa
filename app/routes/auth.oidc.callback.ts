// GET /auth/oidc/callback: the identity provider sends the browser back here (resource route).
import type { LoaderFunctionArgs } from "react-router";
import { handleOidcCallback } from "../../worker/http/dashboard";
import { envOf } from "../lib/access.server";

export function loader({ context, request }: LoaderFunctionArgs) {
  return handleOidcCallback(envOf(context), request);
}
