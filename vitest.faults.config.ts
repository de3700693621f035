import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * `npm run test:faults`: the long fault runs against the production build (kill -9, PostgreSQL down and hung,
 * a 10-minute soak) and the 10,000-body fuzz. Too long for every CI run; bounded and loopback-only.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["faults/**/*.fault.test.ts", "lib/deposits/receiver-fuzz.test.ts"],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 120_000,
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? "10000" },
  },
});
