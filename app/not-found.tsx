import Link from "next/link";

/** Any unknown address: the console's own page, not the framework's. */
export default function NotFound() {
  return (
    <main className="mx-auto max-w-md px-6 py-16 text-center">
      <p className="text-sm font-semibold text-slate-500">SkinsBack console</p>
      <h1 className="mt-2 text-xl font-semibold">There is no page at this address</h1>
      <p className="mt-2 text-sm text-slate-600">It may have moved, or the link was mistyped.</p>
      <Link href="/deposits" className="mt-4 inline-block text-sm text-sky-700 hover:underline">
        Go to the deposits
      </Link>
    </main>
  );
}
