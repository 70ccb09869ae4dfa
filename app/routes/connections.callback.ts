// GET /accounts/:account/connections/:provider/callback: the help desk sends the
// browser back here with the authorization code (resource route).
import type { LoaderFunctionArgs } from "react-router";
import { handleConnectCallback } from "../../worker/http/dashboard";
import { envOf } from "../lib/access.server";

export function loader({ context, request, params }: LoaderFunctionArgs) {
  return handleConnectCallback(envOf(context), request, params.account!, params.provider!);
}
