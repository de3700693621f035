/**
 * The browser's one way to call the console's JSON routes: same-origin fetch (the browser adds the Origin header
 * that state-changing routes require), no caching, and an error that carries the server's own message. A 401
 * means the session ended (signed out elsewhere, disabled, idle or past its 12 hours): the page goes to sign-in
 * and comes back afterwards, rather than showing a broken table.
 */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function callApi<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  const response = await fetch(url, {
    cache: "no-store",
    ...rest,
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    headers: { ...(json === undefined ? {} : { "content-type": "application/json" }), ...rest.headers },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; issues?: string[] };
  if (response.status === 401 && typeof window !== "undefined") {
    const here = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/sign-in?next=${encodeURIComponent(here)}`);
  }
  if (!response.ok) {
    const message = [body.error ?? `HTTP ${response.status}`, ...(body.issues ?? [])].join(": ");
    throw new ApiError(response.status, message);
  }
  return body as T;
}
