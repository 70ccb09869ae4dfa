// What every operations section shares: its own fetcher (one form, one intent),
// and the field messages of its last failed answer.
import { type ReactNode, useEffect } from "react";
import { type FetcherWithComponents, useFetcher } from "react-router";
import { fieldError } from "../../lib/connectors";
import type { OperatingState, OperationsActionResponse, OperationsIntent } from "../../lib/operations";

export type Fetcher = FetcherWithComponents<OperationsActionResponse>;

/** The props of a section card: the saved state, its fetcher, where it posts, and its answer (or null). */
export interface SectionProps {
  state: OperatingState;
  fetcher: Fetcher;
  actionUrl: string;
  /** The account is frozen: the section is locked. */
  frozen: boolean;
  /** The latest answer, when this section caused it. */
  status: ReactNode;
}

/** One section's fetcher; marks the section as the one whose answer is shown when it submits. */
export function useSectionFetcher(intent: OperationsIntent, setLast: (i: OperationsIntent) => void): Fetcher {
  const fetcher = useFetcher<OperationsActionResponse>();
  useEffect(() => {
    if (fetcher.state === "submitting") setLast(intent);
  }, [fetcher.state, intent, setLast]);
  return fetcher;
}

/** Field messages of the last answer, when it failed. */
export function errorsOf(fetcher: Fetcher) {
  const fields = fetcher.data && !fetcher.data.ok ? fetcher.data.fields : undefined;
  return (path: string) => fieldError(fields, path);
}

/** The message for a field path of the last failed answer, if any. */
export type FieldErrors = ReturnType<typeof errorsOf>;
