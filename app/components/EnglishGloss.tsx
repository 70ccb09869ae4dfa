import { useFetcher, useParams } from "react-router";
import type { Proposal } from "../../worker/domain/types";
import { languageName } from "../lib/format";
import type { GlossResponse } from "../routes/queue.gloss";

/**
 * On request, the hosted model's English translation of the ticket and the
 * draft, for a reviewer who does not read the customer's language. Shown
 * beside the original, never instead of it; the draft that is sent is unchanged.
 */
export function EnglishGloss({ proposal: p }: { proposal: Proposal }) {
  const { account } = useParams();
  const fetcher = useFetcher<GlossResponse>();
  const language = p.triage?.language;
  if (!language || language === "en") return null;
  const answer = fetcher.data;
  const mine = answer?.ok ? answer.gloss.taskId === p.taskId : true;
  return (
    <section aria-label="English gloss" className="rounded-lg border border-neutral-200 bg-white px-3.5 py-2.5 text-xs" data-testid="english-gloss">
      <fetcher.Form method="post" action={`/accounts/${account}/queue/gloss`} className="flex items-center justify-between gap-3">
        <input type="hidden" name="taskId" value={p.taskId} />
        <p className="text-neutral-600">This customer writes in {languageName(language)}.</p>
        <button
          type="submit"
          className="inline-flex h-8 shrink-0 items-center justify-center rounded-md border border-neutral-300 bg-white px-3 text-xs font-medium text-neutral-800 hover:bg-neutral-50 disabled:cursor-not-allowed disabled:opacity-50"
          disabled={fetcher.state !== "idle"}
        >
          {fetcher.state !== "idle" ? "Translating…" : "Show an English gloss"}
        </button>
      </fetcher.Form>
      {answer && !answer.ok ? (
        <p role="alert" className="mt-2 text-red-800" data-testid="gloss-error">
          {answer.error}
        </p>
      ) : null}
      {answer?.ok && mine ? (
        <div className="mt-2 space-y-2" data-testid="gloss-text">
          <p className="text-neutral-500">Machine translation for reading only; the customer gets the original draft.</p>
          <div>
            <p className="font-semibold text-neutral-700">Ticket</p>
            <p className="whitespace-pre-wrap break-words text-neutral-800">{answer.gloss.ticket}</p>
          </div>
          {answer.gloss.draft ? (
            <div>
              <p className="font-semibold text-neutral-700">Draft</p>
              <p className="whitespace-pre-wrap break-words text-neutral-800">{answer.gloss.draft}</p>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
