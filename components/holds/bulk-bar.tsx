"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { Button } from "@/components/ui/button";
import { formatMoney } from "@/components/ui/format";
import type { HeldDeposit } from "@/lib/holds/queue";
import { addDecimal } from "@/lib/money/decimal";
import { ApproveDialog } from "./approve-dialog";

export function BulkBar({
  lowRisk,
  chosen,
  onSelectAll,
  onClear,
  onDone,
}: {
  lowRisk: HeldDeposit[];
  chosen: HeldDeposit[];
  onSelectAll: () => void;
  onClear: () => void;
  onDone: (results: { transactionId: string; kind: string; message: string }[]) => void;
}) {
  const client = useQueryClient();
  const [summary, setSummary] = useState<string | null>(null);
  async function approveChosen(reason: string) {
    const { results } = await callApi<{
      results: { transactionId: string; kind: string; message: string }[];
    }>("/api/holds/bulk", {
      method: "POST",
      json: { transactionIds: chosen.map((h) => h.transactionId), reason },
    });
    const count = (kind: string) => results.filter((r) => r.kind === kind).length;
    setSummary(
      `${count("approved")} approved, ${count("already")} already approved, ${count("refused")} refused, ${count("failed")} failed`,
    );
    onDone(results);
    await client.invalidateQueries({ queryKey: queryKeys.allHolds });
  }
  return (
    <div
      className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm"
      data-testid="bulk-bar"
    >
      <span>
        Bulk approval is for low risk only: {lowRisk.length} low-risk deposit{lowRisk.length === 1 ? "" : "s"}{" "}
        shown.
      </span>
      <Button type="button" onClick={onSelectAll} variant="secondary" size="xs">
        Select all low risk
      </Button>
      {chosen.length > 0 && (
        <>
          <Button type="button" onClick={onClear} variant="secondary" size="xs">
            Clear
          </Button>
          <ApproveDialog
            trigger={`Approve ${chosen.length} selected…`}
            triggerSize="xs"
            title={`Approve ${chosen.length} low-risk deposit${chosen.length === 1 ? "" : "s"}, ${formatMoney(usdTotal(chosen), "usd")} in total?`}
            reasonLabel="Why approve early (recorded for each)"
            submitLabel={`Approve ${chosen.length}`}
            onApprove={approveChosen}
          >
            <p>Each is sent on its own, once, within SkinsBack's call budget; each result is reported.</p>
          </ApproveDialog>
        </>
      )}
      {summary && (
        <span role="status" data-testid="bulk-result">
          {summary}
        </span>
      )}
    </div>
  );
}

/** The chosen deposits' signed USD figures added up (exact decimals). */
function usdTotal(items: HeldDeposit[]): string {
  return items.reduce((sum, h) => (h.amountUsd ? addDecimal(sum, h.amountUsd) : sum), "0");
}
