import type { ForwardMessageState } from "@/lib/db/schema";

const STYLES: Record<ForwardMessageState, string> = {
  waiting: "bg-amber-100 text-amber-900",
  delivered: "bg-emerald-100 text-emerald-900",
  failed: "bg-rose-100 text-rose-900",
};

/** A forwarded message's state, in words and colour. */
export function MessageStateChip({ state }: { state: ForwardMessageState }) {
  return <span className={`rounded-full px-2 py-0.5 text-xs ${STYLES[state]}`}>{state}</span>;
}
