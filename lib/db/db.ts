import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/**
 * One database type over two drivers: embedded PGlite (no DATABASE_URL) and PostgreSQL through postgres.js
 * (./client.ts opens either). Query functions take a `Db`, which a transaction (`tx`) also is.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
