import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and until React has hydrated, true after. A form that submits through JavaScript
 * keeps its submit button disabled until then: before hydration the browser would submit it natively (by GET,
 * putting its fields — a password — into the URL, the server log and the history), and a disabled default button
 * also stops the Enter key's implicit submission.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
