import type { z } from "zod";

/**
 * A page's search params as one string per name: empty values dropped, a repeated name (a GET form's ticked
 * checkboxes) joined with commas. The filters' zod schemas read this record.
 */
export function searchParamsRecord(
  params: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const text = Array.isArray(value) ? value.join(",") : value;
    if (text) record[name] = text;
  }
  return record;
}

/** Newest-first keyset pages: the query fetched `limit + 1` rows; the extra one only says that more exist. */
export function keysetPage<T extends { id: number }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextBefore: number | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, nextBefore: more ? (page.at(-1)?.id ?? null) : null };
}

/**
 * A page's filters: parsed from its search params, or — when some are not understood — the defaults, with the
 * problems to show (a page never fails over a hand-edited URL). `raw` keeps the params for links.
 */
export function pageFilters<S extends z.ZodType>(
  schema: S,
  params: Record<string, string | string[] | undefined>,
): { raw: Record<string, string>; filters: z.output<S>; issues: string[] } {
  const raw = searchParamsRecord(params);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { raw, filters: parsed.data, issues: [] };
  return {
    raw,
    filters: schema.parse({}),
    issues: parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)),
  };
}
