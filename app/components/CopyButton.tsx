import { useEffect, useState } from "react";

/** Copies `value` to the clipboard; falls back to selecting `fallbackInputId` and execCommand. */
export function CopyButton({ value, label = "Copy", fallbackInputId, testId }: { value: string; label?: string; fallbackInputId?: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const id = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(id);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard API");
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      const input = fallbackInputId ? (document.getElementById(fallbackInputId) as HTMLInputElement | null) : null;
      if (input) {
        input.select();
        setState(document.execCommand("copy") ? "copied" : "failed");
      } else {
        setState("failed");
      }
    }
  }

  return (
    <button
      type="button"
      onClick={copy}
      data-testid={testId}
      className="inline-flex h-8 shrink-0 items-center rounded-md border border-neutral-300 bg-white px-2.5 text-xs font-medium text-neutral-700 hover:bg-neutral-50"
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}</span>
    </button>
  );
}
