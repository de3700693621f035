"use client";

import { PageError } from "@/components/ui/page-error";

// Pages outside the dashboard (sign-in, first run) when the server cannot answer them.
export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <PageError {...props} />
    </main>
  );
}
