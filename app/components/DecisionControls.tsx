import { type FormEvent, type ReactNode, useState } from "react";
import type { DecisionAction, Proposal } from "../../worker/domain/types";

interface Props {
  proposal: Proposal;
  busy: boolean;
  onDecide: (fields: { action: DecisionAction; body?: string; note?: string }) => void;
  onInvalid: (message: string) => void;
}

const btn = "inline-flex h-8 items-center justify-center rounded-md px-3 text-xs font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50";
const primary = `${btn} bg-neutral-900 text-white hover:bg-neutral-800`;
const secondary = `${btn} border border-neutral-300 bg-white text-neutral-800 hover:bg-neutral-50`;
const danger = `${btn} border border-red-200 bg-white text-red-700 hover:bg-red-50`;
const textarea =
  "block w-full rounded-md border border-neutral-300 bg-white px-2.5 py-2 text-[13px] leading-5 outline-none placeholder:text-neutral-400 focus:border-neutral-500 focus:ring-2 focus:ring-neutral-200 disabled:bg-neutral-50";

/** Approve / edit / reject / send back, for a proposal that awaits review (WriteReplyControls when the agent proposed nothing). */
export function DecisionControls({ proposal, busy, onDecide, onInvalid }: Props) {
  const draft = proposal.draft ?? "";
  const [note, setNote] = useState("");
  const ids = `decision-${proposal.taskId}`;

  function submitNote(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = (submitter?.value ?? "revise") as DecisionAction;
    const trimmed = note.trim();
    if (action === "revise" && !trimmed) {
      onInvalid("Add a note for the agent before sending back");
      document.getElementById(`${ids}-note`)?.focus();
      return;
    }
    onDecide(trimmed ? { action, note: trimmed } : { action });
  }

  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <button
          type="button"
          className={primary}
          disabled={busy || !proposal.draft}
          data-testid="decision-approve"
          onClick={() => onDecide({ action: "approve" })}
        >
          Approve and send
        </button>
        <span className="text-xs text-neutral-500">Sends the draft above unchanged.</span>
      </div>

      <ReplyForm
        id={`${ids}-edit`}
        label="Edit the reply"
        rows={8}
        start={draft}
        resetLabel="Reset to draft"
        submit={{
          label: "Save edit and send",
          className: secondary,
          testId: "decision-edit-submit",
          allowed: (text) => text.trim() !== draft.trim() && text.trim().length > 0,
        }}
        busy={busy}
        onSubmit={(body) => onDecide({ action: "edit", body })}
        className="border-t border-neutral-100 pt-4"
      />

      <form onSubmit={submitNote} className="space-y-2 border-t border-neutral-100 pt-4" noValidate>
        <label htmlFor={`${ids}-note`} className="block text-xs font-medium text-neutral-700">
          Note for the agent
          <span className="ml-1 font-normal text-neutral-500">(required to send back, optional when rejecting)</span>
        </label>
        <textarea
          id={`${ids}-note`}
          name="note"
          rows={3}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={busy}
          aria-required="true"
          placeholder="e.g. Offer the refund instead of a credit, and mention the SLA."
          data-testid="decision-revise-note"
          className={textarea}
        />
        <div className="flex items-center gap-2">
          <button type="submit" name="action" value="revise" className={secondary} disabled={busy} data-testid="decision-revise-submit">
            Send back
          </button>
          <button type="submit" name="action" value="reject" className={danger} disabled={busy} data-testid="decision-reject">
            Reject
          </button>
          <span className="ml-1 text-xs text-neutral-500">Reject sends nothing to the customer.</span>
        </div>
      </form>
    </div>
  );
}

/**
 * When the agent proposed nothing: the person writes the reply, starting from
 * the suggested one (the cited article's answer or the holding reply), and
 * sends it through the same decision gate as an edit; or rejects.
 */
export function WriteReplyControls({ proposal, busy, onDecide }: Omit<Props, "onInvalid">) {
  const suggested = proposal.suggestedReply?.body ?? "";
  const [note, setNote] = useState("");
  const ids = `decision-${proposal.taskId}`;

  function reject(e: FormEvent) {
    e.preventDefault();
    const trimmed = note.trim();
    onDecide(trimmed ? { action: "reject", note: trimmed } : { action: "reject" });
  }

  return (
    <div className="space-y-4" data-testid="decision-write-reply">
      <ReplyForm
        id={`${ids}-edit`}
        label={
          <>
            Write the reply
            <span className="ml-1 font-normal text-neutral-500">(the agent proposed none; this is sent as your edit)</span>
          </>
        }
        rows={12}
        start={suggested}
        resetLabel="Reset to suggestion"
        submit={{ label: "Send", className: primary, testId: "decision-write-send", allowed: (text) => text.trim().length > 0 }}
        busy={busy}
        onSubmit={(body) => onDecide({ action: "edit", body })}
      />

      <form onSubmit={reject} className="space-y-2 border-t border-neutral-100 pt-4" noValidate>
        <label htmlFor={`${ids}-note`} className="block text-xs font-medium text-neutral-700">
          Note <span className="font-normal text-neutral-500">(optional, when rejecting)</span>
        </label>
        <textarea
          id={`${ids}-note`}
          name="note"
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          disabled={busy}
          data-testid="decision-reject-note"
          className={textarea}
        />
        <div className="flex items-center gap-2">
          <button type="submit" className={danger} disabled={busy} data-testid="decision-reject">
            Reject
          </button>
          <span className="ml-1 text-xs text-neutral-500">Reject sends nothing to the customer.</span>
        </div>
      </form>
    </div>
  );
}

/** The reply a person sends as an edit: starts from `start`, can be reset to it, and is submitted when `submit.allowed`. */
function ReplyForm({
  id,
  label,
  rows,
  start,
  resetLabel,
  submit,
  busy,
  onSubmit,
  className = "",
}: {
  id: string;
  label: ReactNode;
  rows: number;
  start: string;
  resetLabel: string;
  submit: { label: string; className: string; testId: string; allowed: (text: string) => boolean };
  busy: boolean;
  onSubmit: (body: string) => void;
  className?: string;
}) {
  const [text, setText] = useState(start);
  function send(e: FormEvent) {
    e.preventDefault();
    if (submit.allowed(text)) onSubmit(text);
  }
  return (
    <form onSubmit={send} className={`space-y-2 ${className}`}>
      <label htmlFor={id} className="block text-xs font-medium text-neutral-700">
        {label}
      </label>
      <textarea
        id={id}
        name="body"
        rows={rows}
        value={text}
        onChange={(e) => setText(e.target.value)}
        disabled={busy}
        data-testid="decision-edit-text"
        className={textarea}
      />
      <div className="flex items-center gap-2">
        <button type="submit" className={submit.className} disabled={busy || !submit.allowed(text)} data-testid={submit.testId}>
          {submit.label}
        </button>
        {text !== start ? (
          <button type="button" className="h-8 px-2 text-xs text-neutral-500 hover:text-neutral-800" onClick={() => setText(start)} disabled={busy}>
            {resetLabel}
          </button>
        ) : null}
      </div>
    </form>
  );
}
