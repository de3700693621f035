import Link from "next/link";
import type { ReactNode } from "react";
import { roleAllows } from "@/lib/auth/roles";
import type { SignedInOperator } from "@/lib/auth/session";
import type { SkinsbackMode } from "@/lib/config";
import type { Silence } from "@/lib/deposits/silence";
import { type NavItem, NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";
import { SilenceBanner } from "./silence-banner";
import { ThemeToggle } from "./theme-toggle";

function navItems(
  operator: SignedInOperator,
  mode: SkinsbackMode,
): { items: NavItem[]; settings: NavItem[] } {
  const items: NavItem[] = [
    { label: "Overview", href: "/" },
    { label: "Deposits", href: "/deposits" },
    { label: "Risk queue", href: "/holds" },
    { label: "Failed notifications", href: "/webhooks/failed" },
    { label: "Delivery log", href: "/webhooks" },
    { label: "API calls", href: "/api-calls" },
    { label: "Forwarding", href: "/forwarding" },
    { label: "Reconciliation", href: "/reconciliation" },
    { label: "Alerts", href: "/alerts" },
  ];
  if (mode === "sandbox") items.push({ label: "Sandbox", href: "/sandbox" });
  const settings: NavItem[] = roleAllows(operator.role, "admin")
    ? [
        { label: "Audit log", href: "/audit" },
        { label: "Operators", href: "/settings/operators" },
        { label: "Risk settings", href: "/settings/risk" },
        { label: "Endpoints", href: "/settings/forwarding" },
        { label: "API keys", href: "/settings/api-keys" },
        { label: "Alert channels", href: "/settings/alerts" },
        { label: "Retention", href: "/settings/retention" },
      ]
    : [];
  return { items, settings };
}

/** The frame of every signed-in page: navigation, Sandbox / Live, who is signed in, theme, sign-out. */
export function AppShell({
  operator,
  mode,
  silence,
  children,
}: {
  operator: SignedInOperator;
  mode: SkinsbackMode;
  silence: Silence;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2 sm:px-6">
          <Link href="/" className="font-semibold tracking-tight whitespace-nowrap">
            SkinsBack console
          </Link>
          <span
            data-testid="mode-badge"
            title={
              mode === "sandbox" ? "Simulated SkinsBack: no real money" : "Connected to SkinsBack: real money"
            }
            className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${
              mode === "sandbox" ? "bg-amber-100 text-amber-800" : "bg-emerald-100 text-emerald-800"
            }`}
          >
            {mode === "sandbox" ? "Sandbox" : "Live"}
          </span>
          <div className="ml-auto flex items-center gap-2">
            <span
              className="max-w-40 truncate text-right text-xs leading-tight sm:max-w-none"
              data-testid="signed-in-operator"
            >
              <Link
                href="/account/password"
                title="Change your password"
                className="block truncate font-medium text-slate-900 hover:underline"
              >
                {operator.name}
              </Link>
              <span className="text-slate-500">
                <span className="hidden sm:inline">{operator.email} · </span>
                {operator.role}
              </span>
            </span>
            <ThemeToggle />
            <SignOutButton />
          </div>
          <div className="w-full">
            <NavLinks {...navItems(operator, mode)} />
          </div>
        </div>
      </header>
      <SilenceBanner initial={silence} />
      <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
    </div>
  );
}
