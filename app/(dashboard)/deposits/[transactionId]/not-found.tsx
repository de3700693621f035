import Link from "next/link";

export default function DepositNotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-8 text-center">
      <h1 className="text-lg font-semibold">No such deposit</h1>
      <p className="mt-1 text-sm text-slate-500">
        No notification for this transaction id has reached this console.
      </p>
      <Link href="/deposits" className="mt-4 inline-block text-sm text-sky-700 hover:underline">
        Back to deposits
      </Link>
    </div>
  );
}
