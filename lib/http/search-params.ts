import type { z } from "zod";
import { zodIssues } from "@/lib/errors/app-error";
import { FORBIDDEN_KEYS, nullPrototypeObject } from "@/lib/security/request-keys";
import { findUnstorableText, storableText } from "@/lib/text/storable-text";

/**
 * The first query parameter that no page or route can take, in words (naming the parameter), or undefined: a
 * NUL or an unpaired surrogate in its name or value (PostgreSQL cannot hold them: the query would fail as a 500,
 * a streamed export would reset mid-answer), or a name that reaches an object's prototype. proxy.ts answers 400
 * with it for every page and route it gates, and the route wrapper again for its own routes.
 */
export function findUnreadableSearchParam(params: URLSearchParams): string | undefined {
  for (const [name, value] of params) {
    const shown = JSON.stringify(storableText(name.slice(0, 64)));
    if (findUnstorableText(name) || findUnstorableText(value)) {
      return `the query parameter ${shown} holds a NUL character or invalid Unicode`;
    }
    if (FORBIDDEN_KEYS.has(name)) return `the query parameter name ${shown} is not allowed`;
  }
  return undefined;
}

/**
 * A page's search params as one string per name: empty values dropped, a repeated name (a GET form's ticked
 * checkboxes) joined with commas. The filters' zod schemas read this record.
 */
export function searchParamsRecord(
  params: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const record = nullPrototypeObject<string>();
  for (const [name, value] of Object.entries(params)) {
    const text = Array.isArray(value) ? value.join(",") : value;
    if (text) record[name] = text;
  }
  return record;
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
  const unreadable = findUnreadableSearchParam(new URLSearchParams(Object.entries(raw)));
  if (unreadable) return { raw: {}, filters: schema.parse({}), issues: [unreadable] };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { raw, filters: parsed.data, issues: [] };
  return {
    raw,
    filters: schema.parse({}),
    issues: zodIssues(parsed.error),
  };
}
