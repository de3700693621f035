import type { ReactNode } from "react";
import { CopyButton } from "./copy-button";

/**
 * A secret the console made and shows this once (a one-time password, a signing secret, an API key): the value,
 * a copy button, and what to do with it. Never rendered again after the page that made it.
 */
export function ShownOnce({
  testId,
  title,
  value,
  copyLabel,
  note,
}: {
  testId: string;
  title: ReactNode;
  value: string;
  copyLabel: string;
  note: ReactNode;
}) {
  return (
    <div data-testid={testId} className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">{title}</p>
      <code className="mt-1 block font-mono break-all select-all">{value}</code>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <CopyButton text={value} label={copyLabel} />
        <span className="text-xs text-amber-800">{note}</span>
      </div>
    </div>
  );
}
