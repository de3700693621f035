import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { getConfig } from "@/lib/env";
import { REQUEST_PATH_HEADER } from "./request-path";

/** Where an operator signed in with a one-time password is sent until they have chosen their own. */
export const PASSWORD_PAGE = "/account/password";

import { roleAllows } from "./roles";
import { routeAccess } from "./route-policy";
import { currentOperator, type SignedInOperator } from "./session";

/**
 * Every console page starts with this: the signed-in operator, or a redirect to sign-in (and back afterwards), or
 * 403 when the route's rule (lib/auth/route-policy.ts) asks for a higher role. Pages call it rather than the
 * layout because a layout is not re-rendered when the browser moves between the pages under it.
 */
export async function requirePageOperator(): Promise<SignedInOperator> {
  const requested = (await headers()).get(REQUEST_PATH_HEADER);
  // No path means proxy.ts did not run for this request: fail closed, as for the strictest route.
  const access = requested
    ? routeAccess(new URL(requested, "http://console.invalid").pathname, "GET", getConfig().skinsback.mode)
    : ({ kind: "operator", role: "admin", apiKey: null } as const);
  const operator = await currentOperator();
  if (!operator) redirect(`/sign-in?next=${encodeURIComponent(requested ?? "/")}`);
  if (operator.mustChangePassword && !requested?.startsWith(PASSWORD_PAGE)) redirect(PASSWORD_PAGE);
  if (access.kind === "not-found") forbidden();
  if (access.kind === "operator" && !roleAllows(operator.role, access.role)) forbidden();
  return operator;
}
