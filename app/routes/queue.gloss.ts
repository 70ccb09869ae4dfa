// POST /accounts/:account/queue/gloss (form: taskId): the hosted model's
// English gloss of a proposal's ticket and draft, for the reviewer (resource
// route; worker/agent/gloss.ts). Answers JSON: the gloss, or the reason there is none.
import { type ActionFunctionArgs, data } from "react-router";
import { HttpError } from "../../worker/domain/errors";
import type { EnglishGloss } from "../../worker/domain/types";
import { glossProposal } from "../../worker/http/dashboard";
import { envOf, loadAccountAccess } from "../lib/access.server";
import { readFormData } from "../lib/form";

export type GlossResponse = { ok: true; gloss: EnglishGloss } | { ok: false; error: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const { accountId } = await loadAccountAccess(context, request, params.account!, "agent");
  const taskId = String((await readFormData(request)).get("taskId") ?? "");
  try {
    return data<GlossResponse>({ ok: true, gloss: await glossProposal(envOf(context), accountId, taskId) });
  } catch (err) {
    if (err instanceof HttpError) return data<GlossResponse>({ ok: false, error: err.message }, { status: err.status });
    throw err;
  }
}
