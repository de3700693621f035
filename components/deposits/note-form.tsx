"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";

/** Operator role: a note on this deposit, added to its timeline (and the audit log). */
export function NoteForm({ transactionId }: { transactionId: string }) {
  const router = useRouter();
  const [body, setBody] = useState("");
  const add = useMutation({
    mutationFn: () =>
      callApi(`/api/deposits/${encodeURIComponent(transactionId)}/notes`, { method: "POST", json: { body } }),
    onSuccess: () => {
      setBody("");
      router.refresh();
    },
  });
  return (
    <form
      method="post"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate();
      }}
    >
      <label className="block font-semibold">
        Add a note
        <span className="block text-xs font-normal text-slate-500">
          On the timeline for every operator, and in the audit log; a note is never edited.
        </span>
        <textarea
          value={body}
          onChange={(e) => setBody(e.target.value)}
          required
          maxLength={2000}
          rows={2}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-normal"
        />
      </label>
      <Button type="submit" size="sm" disabled={add.isPending || body.trim() === ""}>
        {add.isPending ? "Adding…" : "Add note"}
      </Button>
      {add.isError && (
        <p role="alert" className="text-rose-800">
          {add.error.message}
        </p>
      )}
    </form>
  );
}
