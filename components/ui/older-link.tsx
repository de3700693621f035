import Link from "next/link";

/** The next (older) keyset page of a newest-first list, keeping the page's other params. */
export function OlderLink({
  path,
  params,
  nextBefore,
}: {
  path: string;
  params: Record<string, string>;
  nextBefore: number | null;
}) {
  if (nextBefore === null) return null;
  const query = new URLSearchParams({ ...params, before: String(nextBefore) });
  return (
    <Link href={`${path}?${query}`} className="text-sm text-sky-700 hover:underline">
      Older →
    </Link>
  );
}
