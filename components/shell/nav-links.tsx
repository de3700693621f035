"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavItem = { label: string; href: string };

const LINK =
  "rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:font-medium aria-[current=page]:text-slate-900";

/**
 * The console's pages, every one reachable at every width: from a small screen up the links wrap onto as many
 * lines as they need (nothing scrolls out of sight) and the admin's settings sit behind one "Settings" menu; on a
 * phone everything is in one "Menu". Both menus are <details>, so they open without JavaScript, and close again
 * after a navigation (their key is the path).
 */
export function NavLinks({ items, settings }: { items: NavItem[]; settings: NavItem[] }) {
  const pathname = usePathname();
  // The most specific link is the current one (/webhooks/failed is under /webhooks).
  const current = [...items, ...settings]
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .sort((x, y) => y.href.length - x.href.length)[0]?.href;
  const link = (item: NavItem) => (
    <Link
      key={item.href}
      href={item.href}
      aria-current={item.href === current ? "page" : undefined}
      className={LINK}
    >
      {item.label}
    </Link>
  );
  const inSettings = settings.some((s) => s.href === current);
  return (
    <nav aria-label="Console" className="text-sm">
      <details key={`phone-${pathname}`} className="sm:hidden">
        <summary className="cursor-pointer rounded-md px-2 py-1 font-medium text-slate-700">Menu</summary>
        <div className="mt-1 flex flex-col gap-0.5">
          {items.map(link)}
          {settings.length > 0 && (
            <>
              <span className="mt-2 px-2 text-xs font-semibold text-slate-500 uppercase">Settings</span>
              {settings.map(link)}
            </>
          )}
        </div>
      </details>
      <div className="-mx-1 hidden flex-wrap items-center gap-1 sm:flex">
        {items.map(link)}
        {settings.length > 0 && (
          <details key={`settings-${pathname}`} className="relative">
            <summary
              className={`cursor-pointer list-none ${LINK} ${inSettings ? "bg-slate-100 font-medium text-slate-900" : ""}`}
            >
              Settings ▾
            </summary>
            <div className="absolute right-0 z-20 mt-1 flex min-w-48 flex-col gap-0.5 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
              {settings.map(link)}
            </div>
          </details>
        )}
      </div>
    </nav>
  );
}
