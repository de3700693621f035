/** Filters from the URL that were not understood: said once, and the page shows its defaults instead. */
export function FilterIssues({ issues }: { issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
      Some filters were not understood and are ignored: {issues.join("; ")}
    </p>
  );
}
