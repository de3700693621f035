import { OPERATOR_ROLES, type OperatorRole } from "@/lib/db/schema";

/**
 * Three roles, each containing the one before: a viewer reads everything; an operator also acts on deposits
 * (replays, approvals, refreshes, the proxy from the browser); an admin also manages operators and settings.
 */
export { OPERATOR_ROLES, type OperatorRole };

const RANK: Record<OperatorRole, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(role: OperatorRole, required: OperatorRole): boolean {
  return RANK[role] >= RANK[required];
}

export function isOperatorRole(value: unknown): value is OperatorRole {
  return typeof value === "string" && (OPERATOR_ROLES as readonly string[]).includes(value);
}
