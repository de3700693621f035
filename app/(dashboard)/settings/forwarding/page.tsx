import type { Metadata } from "next";
import { EndpointsManager } from "@/components/forwarding/endpoints-manager";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { endpointView, listEndpoints } from "@/lib/forwarding/endpoints";

export const metadata: Metadata = { title: "Forwarding endpoints" };
export const dynamic = "force-dynamic";

export default async function ForwardingSettingsPage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const endpoints = (await listEndpoints(db)).map((e) => endpointView(e));
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Forwarding endpoints</h1>
        <p className="mt-1 text-sm text-slate-500">
          Where every verified deposit change is sent. Each change goes to every endpoint whose types match,
          signed, retried on a schedule, in order per deposit. Every change here is in the audit log.
        </p>
      </div>
      <EndpointsManager
        initial={endpoints.map((e) => ({
          ...e,
          previousSecretUntil: e.previousSecretUntil?.toISOString() ?? null,
        }))}
      />
    </section>
  );
}
