"use client";

// Pages outside the dashboard (sign-in, first run) when the server cannot answer them.
export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main role="alert" className="mx-auto max-w-md px-6 py-16 text-sm">
      <h1 className="text-xl font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-slate-600">
        The database may be unreachable. Nothing was changed.{" "}
        {error.digest && <span>(reference {error.digest})</span>}
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700"
      >
        Try again
      </button>
    </main>
  );
}
