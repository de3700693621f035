"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";

type Field = { name: string; label: string; type: "email" | "password" | "text"; autoComplete: string };

/**
 * The sign-in and first-run forms: posts JSON to `action`, shows the server's own message when it refuses (wrong
 * password, too many attempts and how long to wait, a disabled operator), and goes to `next` when it accepts.
 */
export function CredentialsForm({
  action,
  fields,
  submitLabel,
  busyLabel,
  next,
  extraBody,
}: {
  action: string;
  fields: Field[];
  submitLabel: string;
  busyLabel: string;
  next: string;
  extraBody?: Record<string, unknown>;
}) {
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const body = Object.fromEntries(fields.map((f) => [f.name, String(form.get(f.name) ?? "")]));
    try {
      const response = await fetch(action, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body, ...extraBody }),
      });
      if (response.ok) {
        // A full load, so every server-rendered part sees the new session cookie.
        window.location.assign(next);
        return;
      }
      const answer = (await response.json().catch(() => ({}))) as {
        message?: string;
        error?: string;
        issues?: string[];
      };
      setError(
        [
          answer.message ?? answer.error ?? `The server answered ${response.status}.`,
          ...(answer.issues ?? []),
        ].join(" "),
      );
    } catch {
      setError("The console could not be reached. Check the connection and try again.");
    }
    setBusy(false);
  };
  return (
    // Never by GET (the password would land in the URL): POST to the endpoint, and no submit before hydration.
    <form method="post" action={action} onSubmit={submit} className="space-y-4" noValidate>
      {fields.map((f) => (
        <label key={f.name} className="block text-sm">
          <span className="font-medium">{f.label}</span>
          <input
            name={f.name}
            type={f.type}
            autoComplete={f.autoComplete}
            required
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2"
          />
        </label>
      ))}
      {error && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      )}
      <Button type="submit" disabled={!hydrated || busy} variant="primary" size="md" className="w-full">
        {busy ? busyLabel : submitLabel}
      </Button>
    </form>
  );
}
