"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type NavItem = { label: string; href: string; soon?: boolean };

/** The console's pages, those that exist as links and those still to come as plain labels. */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  // The most specific link is the current one (/webhooks/failed is under /webhooks).
  const current = items
    .filter((i) => !i.soon && (pathname === i.href || pathname.startsWith(`${i.href}/`)))
    .sort((x, y) => y.href.length - x.href.length)[0]?.href;
  return (
    <nav aria-label="Console" className="-mx-1 flex gap-1 overflow-x-auto text-sm whitespace-nowrap">
      {items.map((item) =>
        item.soon ? (
          <span
            key={item.label}
            title="Not in this version of the console"
            className="cursor-default rounded-md px-2 py-1 text-slate-500"
          >
            {item.label} <span className="text-[10px] uppercase">soon</span>
          </span>
        ) : (
          <Link
            key={item.href}
            href={item.href}
            aria-current={item.href === current ? "page" : undefined}
            className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:font-medium aria-[current=page]:text-slate-900"
          >
            {item.label}
          </Link>
        ),
      )}
    </nav>
  );
}
