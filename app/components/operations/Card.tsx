import type { ReactNode } from "react";

/** One section of the operations page: a titled card, optionally with controls at the right of its title. */
export function Card({ id, title, aside, children }: { id: string; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="scroll-mt-4 rounded-lg border border-neutral-200 bg-white">
      <div className="flex flex-wrap items-center gap-3 border-b border-neutral-100 px-4 py-2.5">
        <h2 id={`${id}-heading`} className="text-sm font-semibold text-neutral-900">
          {title}
        </h2>
        {aside ? <div className="ml-auto flex items-center gap-3">{aside}</div> : null}
      </div>
      <div className="space-y-3 px-4 py-3">{children}</div>
    </section>
  );
}
