import type { DecisionAction, DecisionResult } from "../../worker/domain/types";

/** What the queue route's action answers. */
export type DecisionResponse =
  | { ok: true; result: DecisionResult }
  | { ok: false; taskId: string | null; error: string; fields: { path: string; message: string }[] };

export function confirmationFor(action: DecisionAction): string {
  switch (action) {
    case "approve":
    case "edit":
      return "Sent";
    case "reject":
      return "Rejected";
    case "revise":
      return "Sent back for revision";
  }
}
