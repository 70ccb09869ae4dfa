import { redirect } from "react-router";
import { requireSignedIn } from "../lib/access.server";
import type { Route } from "./+types/home";

export async function loader({ context, request }: Route.LoaderArgs) {
  const user = await requireSignedIn(context, request);
  const first = user.memberships[0];
  if (first) throw redirect(`/accounts/${encodeURIComponent(first.accountId)}/queue`);
  return { name: user.name, email: user.email };
}

/** Only reached by a signed-in user without any account membership. */
export default function Home({ loaderData }: Route.ComponentProps) {
  return (
    <div className="flex min-h-screen items-center justify-center p-8">
      <div className="w-full max-w-sm rounded-lg border border-neutral-200 bg-white p-6 shadow-sm">
        <h1 className="text-base font-semibold">No accounts yet</h1>
        <p className="mt-2 text-neutral-600">
          {loaderData.name} ({loaderData.email}) is not a member of any support account. Ask an admin to add you.
        </p>
        <form method="post" action="/logout" className="mt-4">
          <button
            type="submit"
            data-testid="sign-out"
            className="rounded-md border border-neutral-300 bg-white px-3 py-1.5 text-xs font-medium hover:bg-neutral-50"
          >
            Sign out
          </button>
        </form>
      </div>
    </div>
  );
}
