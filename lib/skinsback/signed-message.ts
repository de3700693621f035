import { isLosslessNumber, parse as parseLosslessJson } from "lossless-json";
import qs from "qs";
import { findForbiddenFormKey, findForbiddenKey, nullPrototypeObject } from "@/lib/security/request-keys";

/**
 * A signed SkinsBack message: the body of a notification SkinsBack POSTs to us, or of an API request made to
 * SkinsBack (the sandbox receives those). Both are flat-ish fields in JSON or PHP-style form encoding with a
 * `sign` over them (signature.ts); this module parses such bodies without losing number precision.
 */

export type BodyEncoding = "json" | "form";

/**
 * A parsed body: scalars are strings/booleans/null (JSON numbers kept as their exact text), nested values kept.
 * No key anywhere is `__proto__`, `constructor` or `prototype` (refused while parsing).
 */
export type SignedMessageFields = Record<string, unknown>;

export class SignedMessageBodyError extends Error {
  override name = "SignedMessageBodyError";
}

function chooseEncoding(contentType: string | null, rawBody: string): BodyEncoding {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  // Unknown or missing content type: sniff, as a PHP receiver effectively would.
  return rawBody.trimStart().startsWith("{") ? "json" : "form";
}

/**
 * JSON numbers become their exact source text (never a float), so 17-digit Steam ids and money survive, and the
 * signature is computed over what was sent. Form bodies use PHP bracket notation for nested fields.
 */
export function parseSignedMessageBody(
  rawBody: string,
  contentType: string | null,
): { encoding: BodyEncoding; fields: SignedMessageFields } {
  if (rawBody.includes("\u0000")) throw new SignedMessageBodyError("body contains NUL characters");
  const encoding = chooseEncoding(contentType, rawBody);
  if (encoding === "json") {
    // Before parsing: the parser, and every walk over the result, recurse once per level.
    if (jsonNestingDepth(rawBody) > MAX_JSON_DEPTH) {
      throw new SignedMessageBodyError(`JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    let parsed: unknown;
    try {
      parsed = parseLosslessJson(rawBody);
    } catch (error) {
      throw new SignedMessageBodyError(`body is not valid JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new SignedMessageBodyError("JSON body must be an object");
    }
    refuseForbiddenKey(findForbiddenKey(parsed));
    return { encoding, fields: parsed as SignedMessageFields };
  }
  refuseForbiddenKey(findForbiddenFormKey(rawBody));
  const fields = qs.parse(rawBody, {
    depth: 5,
    arrayLimit: 200,
    parameterLimit: 2000,
    allowPrototypes: false,
    plainObjects: true,
  }) as SignedMessageFields;
  if (Object.keys(fields).length === 0) throw new SignedMessageBodyError("body is empty");
  return { encoding, fields };
}

/** Real bodies nest three levels (`user_risk.user_inventory[0]`); deeper is refused before it is parsed. */
export const MAX_JSON_DEPTH = 16;

/** The deepest nesting of arrays and objects in JSON text, counted outside strings, in one pass without recursion. */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

function refuseForbiddenKey(path: string | undefined) {
  if (path) throw new SignedMessageBodyError(`${path}: this key name is not allowed`);
}

/**
 * JSON-safe copy: exact number text (a lossless-json number) becomes a string; everything else is kept as received.
 * Used for notifications before validation and storage, and for API answers before their schemas. Objects are
 * copied into null-prototype objects, so a key can never become a prototype and validation sees own fields only.
 */
export function withExactNumbersAsText(value: unknown): unknown {
  if (isLosslessNumber(value)) return value.value;
  if (Array.isArray(value)) return value.map(withExactNumbersAsText);
  if (typeof value === "object" && value !== null) {
    const out = nullPrototypeObject();
    for (const [k, v] of Object.entries(value)) out[k] = withExactNumbersAsText(v);
    return out;
  }
  return value;
}
