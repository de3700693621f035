import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { hasFirstAdmin } from "@/lib/auth/operators";
import { safeNextPath } from "@/lib/auth/safe-next";
import { currentOperator } from "@/lib/auth/session";
import { signInProblemText } from "@/lib/auth/sign-in-problems";
import { sandboxDemoAdmin } from "@/lib/auth/startup";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string; retry?: string }>;
}) {
  const query = await searchParams;
  const next = safeNextPath(query.next);
  if (await currentOperator()) redirect(next);
  const config = getConfig();
  const { db } = await getDatabase();
  const [demo, setUp] = await Promise.all([sandboxDemoAdmin(db, config), hasFirstAdmin(db)]);
  return (
    <main className="mx-auto max-w-sm px-6 py-16">
      <h1 className="text-xl font-semibold">Sign in to the SkinsBack console</h1>
      <p className="mt-1 text-sm text-slate-500">
        {config.skinsback.mode === "sandbox"
          ? "Sandbox: simulated SkinsBack, no real money."
          : "Live project."}
      </p>
      {demo && (
        <div
          data-testid="demo-credentials"
          className="mt-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          <p className="font-medium">Sandbox demo admin</p>
          <p className="mt-1">
            Email <code className="font-mono">{demo.email}</code>
            <br />
            Password <code className="font-mono">{demo.password}</code>
          </p>
        </div>
      )}
      {!setUp && (
        <p className="mt-6 rounded-md bg-sky-50 px-4 py-3 text-sm text-sky-800">
          No admin exists yet.{" "}
          <Link href="/setup" className="font-medium underline">
            Create the first admin
          </Link>
          .
        </p>
      )}
      <div className="mt-6">
        <SignInForm next={next} problem={signInProblemText(query.error, query.retry)} />
      </div>
    </main>
  );
}
