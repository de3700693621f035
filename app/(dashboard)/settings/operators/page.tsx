import type { Metadata } from "next";
import { OperatorsManager } from "@/components/operators/operators-manager";
import { listOperators } from "@/lib/auth/operators";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";

export const metadata: Metadata = { title: "Operators" };
export const dynamic = "force-dynamic";

export default async function OperatorsPage() {
  const me = await requirePageOperator();
  const { db } = await getDatabase();
  const operators = await listOperators(db);
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Operators</h1>
        <p className="mt-1 text-sm text-slate-500">
          Who can sign in, and what they may do. Every change is in the audit log.
        </p>
      </div>
      <OperatorsManager
        me={me.id}
        initial={operators.map((o) => ({
          id: o.id,
          name: o.name,
          email: o.email,
          role: o.role,
          disabledAt: o.disabledAt?.toISOString() ?? null,
          createdAt: o.createdAt.toISOString(),
        }))}
      />
    </section>
  );
}
