/**
 * A short, log-safe description of an error: the root cause's first line. Query builders wrap driver errors in
 * messages that repeat the whole statement and its parameters (request bodies); those never reach the logs.
 */
export function describeError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (!cause) break;
    current = cause;
  }
  const message = current instanceof Error ? current.message : String(current);
  const code = (current as { code?: unknown } | null)?.code;
  const line = message.split("\n")[0]?.slice(0, 300) ?? "unknown error";
  return typeof code === "string" && !line.includes(code) ? `${line} (${code})` : line;
}
