/** What an API key may do; each machine route names the one it needs (lib/auth/route-policy.ts). */
export const API_KEY_SCOPES = ["events:read", "deposits:read", "skinsback:call"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
