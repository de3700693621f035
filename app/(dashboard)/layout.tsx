import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { readSilence } from "@/lib/deposits/silence";
import { getConfig } from "@/lib/env";

export const dynamic = "force-dynamic";

// The shell needs the operator; each page checks its own access too (a layout is not re-run between its pages).
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const operator = await requirePageOperator();
  const silence = await readSilence((await getDatabase()).db);
  return (
    <AppShell operator={operator} mode={getConfig().skinsback.mode} silence={silence}>
      {children}
    </AppShell>
  );
}
