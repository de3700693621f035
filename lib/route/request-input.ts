import type { z } from "zod";
import { AppError, zodIssues } from "@/lib/errors/app-error";
import { parseJsonBody } from "@/lib/http/json-body";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { findUnreadableSearchParam } from "@/lib/http/search-params";
import { nullPrototypeObject } from "@/lib/security/request-keys";

/** Bodies of console routes are small forms; anything larger is refused before it is parsed. */
export const MAX_ROUTE_BODY_BYTES = 64 * 1024;

/**
 * A console request's JSON body, read the one way every route reads it: at most `maxBytes` (413 past it),
 * strict UTF-8, no NUL, no prototype key (json-body.ts), then the route's schema (400 naming each field).
 * An empty body is `undefined`, so a schema may default it.
 */
export async function readJsonInput<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes: number = MAX_ROUTE_BODY_BYTES,
): Promise<z.output<S>> {
  const raw = await readLimitedBody(request, maxBytes);
  if (raw.tooLarge) {
    throw new AppError(
      "payload_too_large",
      `the body is ${raw.totalBytes} bytes; it may be at most ${maxBytes} bytes`,
    );
  }
  const json = parseJsonBody(raw.bytes, undefined);
  if (!json.ok) throw new AppError("bad_request", json.error);
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    throw new AppError("bad_request", "invalid input", { details: { issues: zodIssues(parsed.error) } });
  }
  return parsed.data;
}

/** A request's query, checked for unreadable parameters (400 naming it), then the route's schema. */
export function readQueryInput<S extends z.ZodType>(
  params: URLSearchParams,
  schema: S | undefined,
): z.output<S> {
  const unreadable = findUnreadableSearchParam(params);
  if (unreadable) throw new AppError("bad_request", unreadable);
  if (!schema) return undefined as z.output<S>;
  const record = nullPrototypeObject<string>();
  for (const [name, value] of params) record[name] = value;
  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    throw new AppError("bad_request", "invalid query", { details: { issues: zodIssues(parsed.error) } });
  }
  return parsed.data;
}
