import { isRouteErrorResponse, Link } from "react-router";

/** A plain status + message view for route errors. */
export function ErrorView({ error, compact = false }: { error: unknown; compact?: boolean }) {
  let status: number | null = null;
  let title = "Something went wrong";
  let message = "An unexpected error occurred.";

  if (isRouteErrorResponse(error)) {
    status = error.status;
    title = error.statusText || titleFor(error.status);
    message = typeof error.data === "string" && error.data ? error.data : messageFor(error.status);
  } else if (error instanceof Error && import.meta.env.DEV) {
    message = error.message;
  }

  return (
    <div className={compact ? "p-8" : "flex min-h-screen items-center justify-center p-8"}>
      <div className="w-full max-w-md rounded-lg border border-neutral-200 bg-white p-6 shadow-sm" role="alert">
        <p className="font-mono text-xs text-neutral-500">{status ?? "Error"}</p>
        <h1 className="mt-1 text-base font-semibold text-neutral-900">{title}</h1>
        <p className="mt-2 text-neutral-600 break-words">{message}</p>
        <div className="mt-4 flex gap-3 text-xs">
          <Link to="/" className="font-medium text-neutral-900 underline underline-offset-2 hover:text-neutral-600">
            Go to the dashboard
          </Link>
        </div>
      </div>
    </div>
  );
}

function titleFor(status: number): string {
  if (status === 403) return "Forbidden";
  if (status === 404) return "Not found";
  if (status === 401) return "Unauthorized";
  return "Error";
}

function messageFor(status: number): string {
  if (status === 403) return "You don't have access to this page.";
  if (status === 404) return "This page doesn't exist.";
  return "The request failed.";
}
