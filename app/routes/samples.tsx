// Samples for quality review (leads and admins): a share of drafting rounds
// kept with customer data redacted, newest first, each beside the reviewer's
// decision; one opens in full (`?sample=`), and the whole set downloads as an
// evaluation set (JSON Lines) from the API.
import { Link } from "react-router";
import { sampleById, samplePage } from "../../worker/http/dashboard";
import { ErrorView } from "../components/ErrorView";
import { SampleDetail } from "../components/samples/SampleDetail";
import { SamplesTable } from "../components/samples/SamplesTable";
import { accountAccess, envOf, toRouteError } from "../lib/access.server";
import { secondaryButton } from "../lib/connectors";
import type { Route } from "./+types/samples";

export const meta: Route.MetaFunction = () => [{ title: "Samples · Support Triage" }];

const PAGE = 25;

export async function loader({ context, request }: Route.LoaderArgs) {
  const { accountId } = accountAccess(context, "lead");
  const env = envOf(context);
  const url = new URL(request.url);
  const cursor = url.searchParams.get("cursor") ?? undefined;
  const id = url.searchParams.get("sample");
  try {
    const [page, sample] = await Promise.all([samplePage(env, accountId, { limit: PAGE, cursor }), id ? sampleById(env, accountId, id) : null]);
    return { accountId, page, cursor: cursor ?? null, sample, missing: id && !sample ? id : null };
  } catch (err) {
    toRouteError(err);
  }
}

export default function Samples({ loaderData }: Route.ComponentProps) {
  const { accountId, page, cursor, sample, missing } = loaderData;
  const base = `/accounts/${encodeURIComponent(accountId)}/samples`;
  const at = (params: Record<string, string | null>) => {
    const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
    return q.size ? `${base}?${q}` : base;
  };
  return (
    <div className="h-full overflow-y-auto">
      <div className="mx-auto max-w-[1200px] space-y-4 p-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-base font-semibold">Samples</h1>
          <a href={`/api/accounts/${encodeURIComponent(accountId)}/samples/export`} download className={secondaryButton} data-testid="samples-export">
            Export JSONL
          </a>
        </div>
        <p className="text-xs text-neutral-500">
          What the model read and proposed for a share of drafting rounds (Operations → Samples), with e-mail addresses, phone numbers, card numbers, IBANs and
          postal addresses replaced by markers before they were stored, beside the reviewer's decision. The export is an evaluation set: one case per line
          (docs/samples.md).
        </p>

        <SamplesTable samples={page.samples} hrefOf={(id) => at({ cursor, sample: id })} />
        <nav aria-label="Pages" className="flex gap-2">
          {page.prevCursor ? (
            <Link to={at({ cursor: page.prevCursor })} className={secondaryButton} data-testid="samples-previous">
              Previous
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link to={at({ cursor: page.nextCursor })} className={secondaryButton} data-testid="samples-next">
              Next
            </Link>
          ) : null}
        </nav>

        {missing ? (
          <p role="status" className="text-xs text-amber-800">
            No sample {missing}: it may have expired.
          </p>
        ) : null}
        {sample ? <SampleDetail key={sample.id} sample={sample} /> : null}
      </div>
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <ErrorView error={error} compact />;
}
