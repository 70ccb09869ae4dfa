// Class names shared by the operations sections.

export const subheading = "text-[11px] font-semibold uppercase tracking-wide text-neutral-500";
export const hint = "text-[11px] leading-4 text-neutral-500";
export const checkboxClass = "h-3.5 w-3.5 rounded border-neutral-300 accent-neutral-900 disabled:opacity-50";
/** Header and body cells of the policy tables. */
export const th = "px-2 py-1.5 text-left text-[11px] font-medium uppercase tracking-wide text-neutral-500";
export const td = "px-2 py-1.5 align-top";
