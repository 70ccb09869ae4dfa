// The action of a dashboard route whose forms post an `intent` (connectors,
// members, operations, tokens, connections). The route declares the role it
// needs, its intents and one handler per intent; this file does the rest the
// same way everywhere: the access check, reading the form, picking the intent,
// and turning the answer (or an HttpError) into `data<Response>(…)`.
import { data, type RouterContextProvider } from "react-router";
import { HttpError } from "../../worker/domain/errors";
import type { Role } from "../../worker/domain/types";
import { type AccountAccess, accountAccess, envOf } from "./access.server";
import type { FieldError } from "./connectors";
import { formText, pickIntent, readFormData } from "./form";

/** What every intent route's action answers; a route's response type adds its own optional fields. */
export interface IntentResponse<I extends string> {
  ok: boolean;
  /** The intent answered, or null when the form named none of the route's intents. */
  intent: I | null;
  message?: string;
  error?: string;
  fields?: FieldError[];
}

/** What a handler gets: who asks, in which account, and the form. */
interface IntentArgs extends AccountAccess {
  env: Env;
  request: Request;
  form: FormData;
  /** A form field as a string ("" when missing): see formText(). */
  text: (name: string) => string;
}

type IntentOf<R extends IntentResponse<string>> = NonNullable<R["intent"]>;

/**
 * A handler answers with the success message, or with the fields of a
 * successful answer (`ok` and `intent` are added). To refuse, it throws an
 * HttpError (`throw refuse(400, "…", fields)`, or one from the worker): its
 * status, message and `fields` become the failed answer.
 */
type IntentHandler<R extends IntentResponse<string>> = (args: IntentArgs) => Promise<string | Partial<Omit<R, "ok" | "intent" | "error" | "fields">>>;

export interface IntentActionSpec<R extends IntentResponse<string>> {
  /** The least role the action needs in the account (a 403 route error otherwise). */
  role: Role;
  /** One handler per intent; the form's `intent` picks it. */
  handlers: { [K in IntentOf<R>]: IntentHandler<R> };
  /** Fields every answer carries, failed or not, read from the form (e.g. the connector's `source`). */
  echo?: (text: (name: string) => string) => Partial<R>;
}

/**
 * The route's `action`. Answers: 200 `{ ok: true, intent, message?, … }`;
 * 400 `{ ok: false, intent: null, error: 'unknown intent "…"', fields }` for an
 * unknown intent; an HttpError's status with `{ ok: false, intent, error, fields }`.
 * Anything else is thrown on (the route's ErrorBoundary). A body that is not a
 * form is refused by readFormData (415, 413, 400).
 */
export function intentAction<R extends IntentResponse<string>>(spec: IntentActionSpec<R>) {
  const intents = Object.keys(spec.handlers) as IntentOf<R>[];
  return async ({ context, request }: { context: Readonly<RouterContextProvider>; request: Request }) => {
    const access = accountAccess(context, spec.role);
    const env = envOf(context);
    const form = await readFormData(request);
    const text = formText(form);
    const { intent, raw } = pickIntent(text, intents);
    const echo = spec.echo?.(text) ?? {};
    const fail = (status: number, error: string, fields: FieldError[] = []) => data<R>({ ...echo, ok: false, intent, error, fields } as R, { status });

    if (!intent) return fail(400, `unknown intent "${raw}"`, [{ path: "intent", message: `expected ${listOf(intents)}` }]);
    try {
      const answer = await spec.handlers[intent]({ ...access, env, request, form, text });
      return data<R>({ ...echo, ...(typeof answer === "string" ? { message: answer } : answer), ok: true, intent } as R);
    } catch (err) {
      if (err instanceof HttpError) return fail(err.status, err.message, err.fields);
      throw err;
    }
  };
}

/** A refused request, for a handler to throw: becomes `{ ok: false, intent, error, fields }` with this status. */
export function refuse(status: number, error: string, fields: FieldError[] = []): HttpError {
  return new HttpError(status, error, { fields });
}

/** A "true" / "false" field, or a 400 naming it. */
export function boolField(text: (name: string) => string, name: string): boolean {
  const raw = text(name);
  if (raw === "true" || raw === "false") return raw === "true";
  throw refuse(400, "invalid request", [{ path: name, message: "expected true or false" }]);
}

/** "a, b or c". */
function listOf(items: readonly string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}
