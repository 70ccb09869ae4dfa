import type { ReactNode } from "react";
import type { ConnectorActionResponse, FieldError } from "../lib/connectors";

/**
 * The answer of one settings form (connectors, operations), shown next to it: the error with any field
 * messages not already shown beside an input, or a short confirmation.
 */
export function ActionStatus({
  response,
  busy,
  shownFields = [],
  success,
  testId,
}: {
  response: Pick<ConnectorActionResponse, "ok" | "message" | "error" | "fields"> | undefined;
  busy: boolean;
  /** Field paths rendered beside their inputs (not repeated here). */
  shownFields?: string[];
  success?: ReactNode;
  testId?: string;
}) {
  if (busy || !response) return null;
  if (!response.ok) {
    const rest: FieldError[] = (response.fields ?? []).filter((f) => !shownFields.includes(f.path));
    return (
      <div role="alert" data-testid={testId} className="rounded-md border border-red-200 bg-red-50 px-2.5 py-1.5 text-xs text-red-700">
        <p className="font-medium">{response.error ?? "The request failed"}</p>
        {rest.length ? (
          <ul className="mt-0.5 list-disc pl-4">
            {rest.map((f) => (
              <li key={`${f.path}:${f.message}`}>
                <span className="font-mono">{f.path}</span>: {f.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return (
    <p role="status" data-testid={testId} className="text-xs text-emerald-700">
      {success ?? response.message ?? "Saved"}
    </p>
  );
}

/** The message for one input, linked by id for aria-describedby. */
export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-0.5 text-[11px] text-red-700">
      {message}
    </p>
  );
}
