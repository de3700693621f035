import { actTarget, actWords } from "@/components/audit/act-words";
import { Time } from "@/components/ui/time";
import type { AuditEvent } from "@/lib/db/schema";

/** What operators (and machines) did to this deposit, from the audit log. */
export function DepositActs({ acts }: { acts: AuditEvent[] }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white">
      <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-medium">Acts on this deposit</h2>
      {acts.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">No operator has acted on this deposit.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="deposit-acts">
          {acts.map((act) => (
            <li key={act.id} className="flex flex-wrap gap-x-3 px-4 py-2">
              <span className="text-slate-500">
                <Time value={act.at} />
              </span>
              <span>{act.actorEmail ?? act.actorKind}</span>
              <span title={act.action}>{actWords(act.action)}</span>
              {actTarget(act.targetType, act.targetId) && (
                <span className="text-slate-500">{actTarget(act.targetType, act.targetId)}</span>
              )}
              <span className={act.outcome === "ok" ? "text-emerald-800" : "text-rose-800"}>
                {act.outcome}
              </span>
              {/* Why the operator acted (an early approval's reason), and what was refused or failed. */}
              {typeof act.detail.reason === "string" && (
                <span className="w-full text-slate-700">“{act.detail.reason}”</span>
              )}
              {typeof act.detail.message === "string" && (
                <span className="w-full text-xs text-slate-500">{act.detail.message}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
