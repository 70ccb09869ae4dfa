import { type ReactNode, useEffect, useRef } from "react";
import { primaryButton, secondaryButton } from "../../lib/connectors";

/** A modal question (the native <dialog>): Cancel has the focus, Escape cancels. */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  testId,
  onCancel,
  onConfirm,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  testId: string;
  onCancel: () => void;
  onConfirm: () => void;
  children: ReactNode;
}) {
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
      onClose={onCancel}
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
      className="m-auto w-full max-w-md rounded-lg border border-neutral-200 bg-white p-0 text-neutral-900 shadow-xl backdrop:bg-neutral-900/30"
    >
      <div className="space-y-2 px-5 pt-4 pb-3 text-[13px] leading-5 text-neutral-700">
        <h2 id={`${testId}-title`} className="text-sm font-semibold text-neutral-900">
          {title}
        </h2>
        {children}
      </div>
      <div className="flex justify-end gap-2 border-t border-neutral-100 px-5 py-3">
        <button type="button" className={secondaryButton} onClick={onCancel} data-testid={`${testId}-cancel`} autoFocus>
          Cancel
        </button>
        <button type="button" className={`${primaryButton} bg-red-700 hover:bg-red-800`} onClick={onConfirm} data-testid={`${testId}-accept`}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
