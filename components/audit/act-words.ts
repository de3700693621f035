import type { AuditAction } from "@/lib/audit/audit-log";

/** An audit act in words for the screens (the audit log's filter keeps the machine name). */
const WORDS: Partial<Record<AuditAction, string>> = {
  "notification.replay": "replayed a notification",
  "notification.bulk-replay": "started a bulk replay",
  "notification.dismiss": "dismissed a failed notification",
  "notification.undismiss": "undid a dismissal",
  "deposit.note": "added a note",
  "deposit.refresh": "refreshed from SkinsBack",
  "hold.approve": "approved the hold early",
  "proxy.call": "called SkinsBack through the proxy",
  "forwarding.resend": "resent a forwarded message",
  "reconcile.decide": "decided a reconciliation difference",
};

export function actWords(action: string): string {
  return WORDS[action as AuditAction] ?? action;
}

/** What an act was about, in words: "failed row #269", "delivery #12"; null when it says nothing more. */
export function actTarget(targetType: string | null, targetId: string | null): string | null {
  if (!targetId) return null;
  const names: Record<string, string> = {
    "skinsback-failure": "SkinsBack's failed row",
    deposit: "",
    delivery: "delivery",
    "forward-message": "message",
    "skinsback-method": "method",
  };
  const name = targetType ? (names[targetType] ?? targetType) : null;
  if (name === "") return null; // the deposit itself: the page is about it
  return name === "method" ? targetId : `${name ?? ""} #${targetId}`.trim();
}
