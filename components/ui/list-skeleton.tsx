/**
 * What a list page shows while its rows load (its route's loading.tsx): the title, the filter bar's and the
 * table's shape, so the page does not jump when the rows arrive. Announced to screen readers as busy.
 */
export function ListSkeleton({ title, rows = 8 }: { title: string; rows?: number }) {
  return (
    <section className="space-y-4" aria-busy="true" aria-live="polite">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="sr-only">Loading {title.toLowerCase()}…</p>
      <div className="h-14 animate-pulse rounded-lg border border-slate-200 bg-slate-100" />
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        {Array.from({ length: rows }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
          <div key={i} className="flex gap-4 border-b border-slate-100 px-3 py-3 last:border-b-0">
            <div className="h-4 w-1/4 animate-pulse rounded bg-slate-100" />
            <div className="h-4 w-1/6 animate-pulse rounded bg-slate-100" />
            <div className="h-4 w-1/3 animate-pulse rounded bg-slate-100" />
          </div>
        ))}
      </div>
    </section>
  );
}
