import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { hasFirstAdmin } from "@/lib/auth/operators";
import { getDatabase } from "@/lib/db";

export const metadata: Metadata = { title: "First run" };
export const dynamic = "force-dynamic";

/** First run only: once an admin exists this page is 404 for good (and POST /api/setup refuses too). */
export default async function SetupPage() {
  const { db } = await getDatabase();
  if (await hasFirstAdmin(db)) notFound();
  return (
    <main className="mx-auto max-w-sm px-6 py-16">
      <h1 className="text-xl font-semibold">Create the first admin</h1>
      <p className="mt-1 text-sm text-slate-500">
        This page works once. The admin then creates the other operators under Settings → Operators.
      </p>
      <div className="mt-6">
        <CredentialsForm
          action="/api/setup"
          fields={[
            { name: "name", label: "Your name", type: "text", autoComplete: "name" },
            { name: "email", label: "Email", type: "email", autoComplete: "username" },
            {
              name: "password",
              label: "Password (12 characters or more)",
              type: "password",
              autoComplete: "new-password",
            },
          ]}
          submitLabel="Create admin"
          busyLabel="Creating…"
          next="/sign-in"
        />
      </div>
    </main>
  );
}
