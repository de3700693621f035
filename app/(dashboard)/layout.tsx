import Link from "next/link";
import type { ReactNode } from "react";
import { getConfig } from "@/lib/env";

export default function DashboardLayout({ children }: { children: ReactNode }) {
  const { mode } = getConfig().skinsback;
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
          <Link href="/deposits" className="font-semibold tracking-tight">
            SkinsBack console
          </Link>
          <nav className="flex gap-4 text-sm text-slate-600">
            <Link href="/deposits" className="hover:text-slate-900">
              Deposits
            </Link>
            {mode === "sandbox" && (
              <Link href="/sandbox" className="hover:text-slate-900">
                Sandbox
              </Link>
            )}
          </nav>
          <span
            data-testid="mode-badge"
            className={`ml-auto rounded-full px-2.5 py-0.5 text-xs font-medium ${
              mode === "sandbox" ? "bg-amber-100 text-amber-800" : "bg-emerald-100 text-emerald-800"
            }`}
          >
            {mode === "sandbox" ? "Sandbox" : "Live"}
          </span>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-6">{children}</main>
    </div>
  );
}
