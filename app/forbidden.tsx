import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md px-6 py-16 text-center">
      <h1 className="text-xl font-semibold">You do not have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your role does not include it. An admin can change your role under Operators.
      </p>
      <Link href="/deposits" className="mt-4 inline-block text-sm text-sky-700 hover:underline">
        Back to deposits
      </Link>
    </main>
  );
}
