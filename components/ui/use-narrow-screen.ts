"use client";

import { useSyncExternalStore } from "react";

/** Phones: below Tailwind's `sm` (640 px). */
const NARROW = "(max-width: 639.98px)";

const subscribe = (onChange: () => void) => {
  const query = window.matchMedia(NARROW);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};

/** True on a phone-sized screen; false on the server and before hydration (the wide layout renders first). */
export function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
}
