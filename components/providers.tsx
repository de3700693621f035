"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useLayoutEffect, useState } from "react";
import { installTheme, THEME_STORAGE_KEY } from "@/components/shell/theme";

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser tab; created in state so a re-render never drops the cache.
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: true } } }),
  );
  useLayoutEffect(() => installTheme(THEME_STORAGE_KEY), []);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
