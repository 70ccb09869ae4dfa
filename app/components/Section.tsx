import type { ReactNode } from "react";

export function Section({ title, aside, children, id }: { title: string; aside?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = id ? `${id}-heading` : undefined;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-neutral-200 bg-white">
      <div className="flex items-center justify-between gap-2 border-b border-neutral-100 px-3.5 py-2">
        <h3 id={headingId} className="text-[11px] font-semibold uppercase tracking-wide text-neutral-500">
          {title}
        </h3>
        {aside}
      </div>
      <div className="px-3.5 py-3">{children}</div>
    </section>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] text-neutral-500">{label}</dt>
      <dd className="mt-0.5 truncate text-[13px] text-neutral-900">{children}</dd>
    </div>
  );
}
