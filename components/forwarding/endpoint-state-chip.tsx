import type { ForwardEndpointState } from "@/lib/db/schema";

const STYLES: Record<ForwardEndpointState, string> = {
  enabled: "bg-emerald-100 text-emerald-900",
  paused: "bg-slate-200 text-slate-800",
  disabled: "bg-rose-100 text-rose-900",
};

/** Enabled, paused (by an operator) or disabled (by the console: a 410, five failing days). */
export function EndpointStateChip({ state }: { state: ForwardEndpointState }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs ${STYLES[state]}`} data-testid="endpoint-state">
      {state}
    </span>
  );
}
