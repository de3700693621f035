import { defineConfig } from "drizzle-kit";

// Migrations are generated from lib/db/schema.ts and committed; they run unchanged on PGlite and PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./lib/db/schema.ts", "./lib/sandbox/schema.ts"],
  out: "./drizzle",
});
