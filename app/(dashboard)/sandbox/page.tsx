import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SwitchesPanel } from "@/components/sandbox/switches-panel";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Sandbox" };
export const dynamic = "force-dynamic";

export default async function SandboxPage() {
  const operator = await requirePageOperator();
  const config = getConfig();
  if (config.skinsback.mode !== "sandbox") notFound();
  return (
    <section className="max-w-2xl space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Sandbox</h1>
        <p className="mt-1 text-sm text-slate-600">
          A simulated SkinsBack at <code>{config.sandbox.apiUrl}</code> (project {config.skinsback.clientId})
          sending notifications to <code>{config.sandbox.resultUrl}</code>. These switches apply to every
          instance.
        </p>
      </div>
      <SwitchesPanel canChange={roleAllows(operator.role, "operator")} />
    </section>
  );
}
