export function Logo() {
  return (
    <span
      aria-hidden="true"
      className="inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-md bg-neutral-900 text-[10px] font-bold tracking-tight text-white"
    >
      ST
    </span>
  );
}
