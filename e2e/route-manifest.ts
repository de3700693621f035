import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every route the production build knows, read from its manifest (.next/server/app-paths-manifest.json), as a
 * concrete path: route groups dropped, dynamic segments filled with a sample value. `kind` tells a page from a
 * route handler (only handlers take state-changing methods).
 */
export type BuiltRoute = { path: string; kind: "page" | "route"; source: string };

const SAMPLE: Record<string, string> = {
  transactionId: "116700001",
  deliveryId: "1",
  method: "balance",
  id: "00000000-0000-0000-0000-000000000000",
  all: "sign-in/email",
  endpointId: "ep_0000000000000000",
  messageId: "1",
  recoveryId: "1",
};

export function builtRoutes(): BuiltRoute[] {
  const manifest = JSON.parse(
    readFileSync(path.join(process.cwd(), ".next/server/app-paths-manifest.json"), "utf8"),
  ) as Record<string, string>;
  const routes: BuiltRoute[] = [];
  for (const source of Object.keys(manifest)) {
    const kind = source.endsWith("/page") ? "page" : source.endsWith("/route") ? "route" : undefined;
    if (!kind) continue;
    const segments = source
      .replace(/\/(page|route)$/, "")
      .split("/")
      .filter((s) => s !== "" && !/^\(.*\)$/.test(s));
    if (segments[0]?.startsWith("_")) continue; // Next's own (_not-found, _global-error)
    const concrete = segments.map((segment) => {
      const dynamic = /^\[{1,2}(?:\.\.\.)?([^\]]+)\]{1,2}$/.exec(segment);
      if (!dynamic) return segment;
      const name = dynamic[1] as string;
      const value = SAMPLE[name];
      if (!value) throw new Error(`no sample value for the dynamic segment ${segment} in ${source}`);
      return value;
    });
    routes.push({ path: `/${concrete.join("/")}`, kind, source });
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path));
}
