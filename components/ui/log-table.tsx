import type { ReactNode } from "react";

export type LogColumn = { label: ReactNode; key: string; align?: "right" };

/**
 * The console's list tables (delivery log, API calls, audit log, operators): a scrolling frame, a header row, and
 * one row saying so when nothing matches. The rows are the page's own.
 */
export function LogTable({
  columns,
  testId,
  empty,
  children,
}: {
  columns: LogColumn[];
  testId: string;
  /** Shown as the only row when set (nothing matches). */
  empty?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-xs text-slate-500 uppercase">
          <tr>
            {columns.map((c) => (
              <th key={c.key} className={c.align === "right" ? "px-3 py-2 text-right" : "px-3 py-2"}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100" data-testid={testId}>
          {empty && (
            <tr>
              <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-500">
                {empty}
              </td>
            </tr>
          )}
          {children}
        </tbody>
      </table>
    </div>
  );
}

/** Columns from their labels ("Took>" aligns right). */
export function columns(...labels: string[]): LogColumn[] {
  return labels.map((label) =>
    label.endsWith(">") ? { key: label, label: label.slice(0, -1), align: "right" } : { key: label, label },
  );
}
