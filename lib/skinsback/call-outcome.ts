/** How one SkinsBack call ended, as the call log records it (api_calls.outcome, held to this list by a CHECK). */
export const CALL_OUTCOMES = [
  "ok",
  "api_error",
  "network_error",
  "response_error",
  "rate_limited",
  "invalid_params",
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];
