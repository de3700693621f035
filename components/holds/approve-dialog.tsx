"use client";

import { type FormEvent, type ReactNode, useId, useRef, useState } from "react";
import { Button, type ButtonSize } from "@/components/ui/button";

/**
 * Asking for an approval: a button that opens a modal dialog with what is at stake (`children`), a required
 * reason, Cancel and Approve. `onApprove` sends it; its error is shown in the dialog, which stays open.
 */
export function ApproveDialog({
  trigger,
  triggerSize,
  title,
  reasonLabel,
  submitLabel,
  onApprove,
  children,
}: {
  trigger: string;
  triggerSize: ButtonSize;
  title: ReactNode;
  reasonLabel: string;
  submitLabel: string;
  onApprove: (reason: string) => Promise<void>;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "");
    setBusy(true);
    setError(null);
    try {
      await onApprove(reason);
      dialog.current?.close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button variant="primary" size={triggerSize} onClick={() => dialog.current?.showModal()}>
        {trigger}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <form method="post" onSubmit={submit} className="space-y-3 p-4 text-sm">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {children}
          <label className="block">
            <span className="text-xs text-slate-600">{reasonLabel}</span>
            <textarea
              name="reason"
              required
              minLength={3}
              maxLength={500}
              rows={2}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1"
            />
          </label>
          {error && (
            <p role="alert" className="text-rose-800">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <Button type="button" onClick={() => dialog.current?.close()} variant="secondary" size="sm">
              Cancel
            </Button>
            <Button type="submit" disabled={busy} variant="primary" size="sm">
              {busy ? "Approving…" : submitLabel}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
