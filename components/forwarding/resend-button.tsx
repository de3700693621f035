"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";

/** Resend one message: the same webhook-id and body; a second click while it waits changes nothing. */
export function ResendButton({ messageId }: { messageId: number }) {
  const router = useRouter();
  const resend = useMutation({
    mutationFn: () =>
      callApi<{ queued: boolean; message: string }>(
        `/api/forwarding/messages/${encodeURIComponent(String(messageId))}/resend`,
        { method: "POST" },
      ),
    onSuccess: () => router.refresh(),
  });
  return (
    <span className="inline-flex items-center gap-2">
      <Button size="sm" variant="primary" disabled={resend.isPending} onClick={() => resend.mutate()}>
        {resend.isPending ? "Queuing…" : "Resend"}
      </Button>
      {resend.data && (
        <span role="status" className="text-xs text-slate-600">
          {resend.data.message}
        </span>
      )}
      {resend.isError && (
        <span role="alert" className="text-xs text-rose-700">
          {resend.error.message}
        </span>
      )}
    </span>
  );
}
