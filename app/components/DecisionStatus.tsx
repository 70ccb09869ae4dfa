import type { DecisionResponse } from "../lib/decision";
import { confirmationFor } from "../lib/decision";

interface Props {
  busy: boolean;
  response: DecisionResponse | undefined;
  localError: string | null;
}

/** The one line under the decision controls: working, confirmation or error. */
export function DecisionStatus({ busy, response, localError }: Props) {
  let tone: "idle" | "busy" | "ok" | "error" = "idle";
  let text = "";
  let fields: { path: string; message: string }[] = [];

  if (busy) {
    tone = "busy";
    text = "Submitting…";
  } else if (localError) {
    tone = "error";
    text = localError;
  } else if (response?.ok) {
    tone = "ok";
    text = confirmationFor(response.result.action);
  } else if (response && !response.ok) {
    tone = "error";
    text = response.error;
    fields = response.fields;
  }

  const style = {
    idle: "",
    busy: "border-neutral-200 bg-neutral-50 text-neutral-600",
    ok: "border-emerald-200 bg-emerald-50 text-emerald-800",
    error: "border-red-200 bg-red-50 text-red-700",
  }[tone];

  return (
    <div aria-live="polite" className={tone === "idle" ? "sr-only" : `rounded-md border px-2.5 py-1.5 text-xs ${style}`}>
      <p data-testid="decision-status" role={tone === "error" ? "alert" : "status"} className="font-medium">
        {text}
      </p>
      {fields.length > 0 ? (
        <ul className="mt-1 list-disc pl-4">
          {fields.map((f, i) => (
            <li key={i}>
              {f.path ? <code className="font-mono">{f.path}</code> : null}
              {f.path ? ": " : null}
              {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
