/**
 * A deposit's transaction id as the console accepts and links it: SkinsBack's are digits; letters, `-` and `_`
 * are allowed for other senders' ids, nothing that could change a URL path. (No imports: links in client
 * components use it too.)
 */
export const TRANSACTION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const isTransactionId = (value: unknown): value is string =>
  typeof value === "string" && TRANSACTION_ID_PATTERN.test(value);
