/**
 * The configuration, in three files: the environment's schema (./env-schema.ts), parsing it into the app's
 * configuration with readable errors (./parse-config.ts), and the description `npm run config:check` prints
 * (./describe-config.ts). Pure and free of `server-only`: next.config.ts checks the configuration with it.
 */
export * from "./describe-config";
export * from "./env-schema";
export * from "./parse-config";
