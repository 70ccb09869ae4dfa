import { useEffect, useRef } from "react";

const QUEUE_KEYS: { keys: string; does: string }[] = [
  { keys: "j / ↓", does: "Next proposal" },
  { keys: "k / ↑", does: "Previous proposal" },
  { keys: "o / Enter", does: "Open the selected proposal (focus its detail)" },
  { keys: "a", does: "Approve and send the draft as it is" },
  { keys: "e", does: "Edit the reply" },
  { keys: "s", does: "Send back with a note" },
  { keys: "r", does: "Reject (asks to confirm)" },
  { keys: "/", does: "Focus the filters" },
  { keys: "?", does: "Show these keys" },
  { keys: "Esc", does: "Close this list, or leave a text field" },
];

/** The list of keyboard shortcuts, as a modal dialog. */
export function KeyboardHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="keyboard-help-title"
      className="m-auto w-[26rem] rounded-lg border border-neutral-200 p-0 shadow-xl backdrop:bg-neutral-900/30"
      data-testid="keyboard-help"
    >
      <div className="p-4">
        <h2 id="keyboard-help-title" className="text-sm font-semibold text-neutral-900">
          Keyboard shortcuts
        </h2>
        <dl className="mt-3 grid grid-cols-[6rem_1fr] gap-x-3 gap-y-1.5 text-xs">
          {QUEUE_KEYS.map((k) => (
            <div key={k.keys} className="contents">
              <dt>
                <kbd className="rounded border border-neutral-300 bg-neutral-50 px-1 font-mono text-[11px]">{k.keys}</kbd>
              </dt>
              <dd className="text-neutral-700">{k.does}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4 text-right">
          <button type="button" onClick={onClose} className="h-7 rounded-md border border-neutral-300 px-2.5 text-xs hover:bg-neutral-50" autoFocus>
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}
