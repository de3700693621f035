/**
 * Marks a value SkinsBack's signature does not cover (nested objects such as `user_risk` and
 * `amount_in_currencies`, docs/skinsback-protocol.md#unsigned): anyone who could reach the Result URL could have written it.
 */
export function UnsignedBadge() {
  return (
    <span
      title="Not covered by SkinsBack's signature: treat as a hint, not as proof"
      className="rounded bg-amber-100 px-1.5 py-px text-[10px] font-medium whitespace-nowrap text-amber-800"
    >
      unsigned
    </span>
  );
}
