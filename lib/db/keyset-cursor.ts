import type { z } from "zod";

/**
 * Opaque keyset cursors: a row's sort keys as base64url JSON, handed to the client and read back only through a
 * schema, so a cursor the console did not make reads as "no cursor" (the first page), never as an error or a
 * query on foreign text.
 */
export function encodeCursor(keys: readonly (string | null)[]): string {
  return Buffer.from(JSON.stringify(keys)).toString("base64url");
}

export function decodeCursor<T>(text: string | undefined, schema: z.ZodType<T>): T | null {
  if (!text) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
