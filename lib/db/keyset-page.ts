/** Newest-first keyset pages: the query fetched `limit + 1` rows; the extra one only says that more exist. */
export function keysetPage<T extends { id: number }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextBefore: number | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextBefore: more ? (page.at(-1)?.id ?? null) : null };
}
