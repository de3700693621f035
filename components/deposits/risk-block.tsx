import { formatMoney } from "@/components/ui/format";
import { UnsignedBadge } from "@/components/ui/unsigned-badge";

type InventoryEntry = { last_updated_at?: string; sum?: string };

const GAMES: Record<string, string> = { cs2: "CS2", csgo: "CS2", dota2: "Dota 2", rust: "Rust" };

function inventoryRows(inventory: unknown): [string, InventoryEntry][] {
  // The notification page documents an array (no game named), the hold page an object keyed by game.
  if (Array.isArray(inventory))
    return inventory.map((entry, i) => [`Inventory ${i + 1}`, entry as InventoryEntry]);
  if (inventory && typeof inventory === "object")
    return Object.entries(inventory as Record<string, InventoryEntry>);
  return [];
}

/** The `user_risk` block of an in_hold notification. It is not covered by the signature: shown as unsigned. */
export function RiskBlock({ risk }: { risk: Record<string, unknown> }) {
  const text = (key: string) => (typeof risk[key] === "string" ? (risk[key] as string) : "—");
  const inventory = inventoryRows(risk.user_inventory);
  return (
    <section
      className="rounded-lg border border-amber-200 bg-amber-50/50 p-4 shadow-sm"
      data-testid="risk-block"
    >
      <h2 className="mb-3 flex items-center gap-2 text-sm font-semibold">
        User risk <UnsignedBadge />
      </h2>
      <dl className="grid grid-cols-[14rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        <dt className="text-slate-500">Deposits (all projects)</dt>
        <dd className="tabular-nums">
          {text("total_deposits_count")} deposits, {formatMoney(text("total_deposits_sum"), "usd")} in total
        </dd>
        <dt className="text-slate-500">Rolled-back deposits</dt>
        <dd className="tabular-nums">
          {text("total_rollback_deposits_count")} rolled back,{" "}
          {formatMoney(text("total_rollback_deposits_sum"), "usd")} in total
        </dd>
        <dt className="text-slate-500">Joined SkinsBack</dt>
        <dd>
          {text("joined_at")}{" "}
          <span className="text-xs text-slate-500">(as sent: SkinsBack names no time zone)</span>
        </dd>
        <dt className="text-slate-500">Last deposit</dt>
        <dd>
          {text("last_deposit_at")} <span className="text-xs text-slate-500">(as sent: no time zone)</span>
        </dd>
        <dt className="text-slate-500">Inventory value</dt>
        <dd>
          {inventory.length === 0
            ? "—"
            : inventory.map(([game, entry]) => (
                <div key={game}>
                  {GAMES[game] ?? game}: {formatMoney(entry.sum ?? null, "usd")}{" "}
                  <span className="text-slate-500">(updated {entry.last_updated_at ?? "—"})</span>
                </div>
              ))}
        </dd>
      </dl>
    </section>
  );
}
