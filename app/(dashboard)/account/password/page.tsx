import type { Metadata } from "next";
import { CredentialsForm } from "@/components/auth/credentials-form";
import { requirePageOperator } from "@/lib/auth/page-guard";

export const metadata: Metadata = { title: "Your password" };
export const dynamic = "force-dynamic";

export default async function PasswordPage() {
  const operator = await requirePageOperator();
  return (
    <section className="max-w-sm space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Your password</h1>
        {operator.mustChangePassword ? (
          <p role="status" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            You signed in with a one-time password. Choose your own to continue.
          </p>
        ) : (
          <p className="mt-1 text-sm text-slate-500">Changing it signs you out everywhere else.</p>
        )}
      </div>
      <CredentialsForm
        action="/api/account/password"
        fields={[
          {
            name: "currentPassword",
            label: "Current password",
            type: "password",
            autoComplete: "current-password",
          },
          {
            name: "newPassword",
            label: "New password (12 characters or more)",
            type: "password",
            autoComplete: "new-password",
          },
        ]}
        submitLabel="Save the new password"
        busyLabel="Saving…"
        next="/"
      />
    </section>
  );
}
