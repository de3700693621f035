import { isTransactionId } from "@/lib/skinsback/transaction-id";

/**
 * Every link built from stored data goes through here. A stored value may come from a refused request
 * (`../../api/deposits/export`): it is linked only when it is a valid id, and every path segment is encoded, so
 * no stored text can turn a link into another route (which the browser might even prefetch).
 */

/** A deposit's page, or undefined when the value is not a transaction id (show it as text, unlinked). */
export function depositHref(transactionId: unknown): string | undefined {
  return isTransactionId(transactionId) ? `/deposits/${encodeURIComponent(transactionId)}` : undefined;
}

/** One delivery's page (our own numeric ids). */
export function deliveryHref(id: number): string {
  return `/webhooks/${encodeURIComponent(String(Math.trunc(id)))}`;
}

/** `path?query` with every value encoded; undefined and empty values are left out. */
export function hrefWithQuery(
  path: string,
  params: Record<string, string | number | undefined | null>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A forwarding endpoint's page (our own ids, encoded all the same). */
export function forwardEndpointHref(id: string): string {
  return `/forwarding/${encodeURIComponent(id)}`;
}

/** One forwarded message's page. */
export function forwardMessageHref(id: number): string {
  return `/forwarding/messages/${encodeURIComponent(String(Math.trunc(id)))}`;
}

/**
 * A path inside the console that the console itself stored (an alert incident's link): used only when it is a
 * plain absolute path of safe characters, never another origin (`//host`) or a scheme.
 */
export function consolePathHref(path: unknown): string | undefined {
  return typeof path === "string" && /^\/(?!\/)[A-Za-z0-9\-._~/?=&%]*$/.test(path) ? path : undefined;
}
