"use client";
import { Button } from "@/components/ui/button";

/** What a page shows when the server could not answer it: what probably happened, that nothing changed, retry. */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-200 bg-rose-50 p-6 text-sm text-rose-900">
      <h1 className="text-base font-semibold">This page could not be loaded</h1>
      <p className="mt-1">
        The database may be unreachable. Nothing was changed.{" "}
        {error.digest && <span>(reference {error.digest})</span>}
      </p>
      <Button type="button" onClick={reset} variant="danger" size="sm" className="mt-3">
        Try again
      </Button>
    </div>
  );
}
