// GET /accounts/:account/connections/:provider/start: sends the browser to the
// help desk to connect the signed-in person's own identity (resource route).
import type { LoaderFunctionArgs } from "react-router";
import { handleConnectStart } from "../../worker/http/dashboard";
import { envOf } from "../lib/access.server";

export function loader({ context, request, params }: LoaderFunctionArgs) {
  return handleConnectStart(envOf(context), request, params.account!, params.provider!);
}
