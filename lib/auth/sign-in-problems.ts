/**
 * Why a sign-in was refused, as a code the sign-in page turns into its own words: the form's answer is a
 * redirect, and a message carried in a URL would let anyone's link put text on the console's page.
 */
export const SIGN_IN_PROBLEMS = {
  invalid: "Wrong email or password.",
  locked: "Too many attempts, try again in {retry} s.",
  disabled: "This operator is disabled. Ask an admin to enable it.",
  input: "Enter a valid email address and password.",
  unavailable: "The console could not sign you in just now. Try again shortly.",
} as const;
export type SignInProblem = keyof typeof SIGN_IN_PROBLEMS;

/** The code for a refused sign-in answer (its status and Retry-After). */
export function signInProblemCode(
  status: number,
  retryAfterSeconds: number,
): { code: SignInProblem; retryAfterSeconds?: number } {
  if (status === 429) {
    return { code: "locked", retryAfterSeconds: Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 60 };
  }
  if (status === 401) return { code: "invalid" };
  if (status === 403) return { code: "disabled" };
  if (status === 400 || status === 422) return { code: "input" };
  return { code: "unavailable" };
}

/** The words for a code read from the sign-in page's URL; null for anything that is not one of ours. */
export function signInProblemText(code: unknown, retry: unknown): string | null {
  if (typeof code !== "string" || !Object.hasOwn(SIGN_IN_PROBLEMS, code)) return null;
  const seconds = typeof retry === "string" && /^\d{1,6}$/.test(retry) ? retry : "a few";
  return SIGN_IN_PROBLEMS[code as SignInProblem].replace("{retry}", seconds);
}
