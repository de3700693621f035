import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers of CODE_STYLE.md, held by reading every import of the application's own code (tests, test helpers
 * and benchmarks excluded: they may reach across to set things up). A layer imports only from layers below it.
 */
const ROOT = path.resolve(import.meta.dirname, "..");

/** Lowest first. A module not listed is a domain module (lib/deposits, lib/holds…). */
const LAYERS: { name: string; test: (file: string) => boolean }[] = [
  {
    name: "leaf",
    test: (f) => /^lib\/(errors|money|security|http|skinsback|time)\//.test(f),
  },
  { name: "config", test: (f) => f === "lib/config.ts" || f === "lib/env.ts" },
  { name: "db", test: (f) => f.startsWith("lib/db/") },
  { name: "domain", test: (f) => f.startsWith("lib/") && !f.startsWith("lib/route/") },
  { name: "route", test: (f) => f.startsWith("lib/route/") },
  { name: "components", test: (f) => f.startsWith("components/") },
  { name: "app", test: (f) => f.startsWith("app/") || f === "proxy.ts" || f === "instrumentation.ts" },
];

const layerOf = (file: string) => LAYERS.findIndex((l) => l.test(file));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) {
      if (rel !== "lib/testing") out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(rel);
  }
  return out;
}

/** The project files a file imports (`@/…` and relative specifiers), as paths from the root without extension. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  return specs
    .map((s) =>
      s.startsWith("@/")
        ? s.slice(2)
        : s.startsWith(".")
          ? path.posix.join(path.posix.dirname(file), s)
          : null,
    )
    .filter((s): s is string => s !== null);
}

describe("architecture: no import climbs a layer", () => {
  const files = ["lib", "components", "app"].flatMap(sourceFiles).concat(["proxy.ts"]);

  it("reads the whole application", () => {
    expect(files.length).toBeGreaterThan(150);
  });

  it("every import points at the same layer or a lower one", () => {
    const climbing: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(`${target}.ts`);
        if (to > from) climbing.push(`${file} (${LAYERS[from]?.name}) → ${target} (${LAYERS[to]?.name})`);
      }
    }
    expect(climbing).toEqual([]);
  });

  it("the leaf modules import no other layer: they can be used anywhere, a client component included", () => {
    const reaching = files
      .filter((f) => layerOf(f) === 0)
      .flatMap((f) => importsOf(f).map((t) => [f, t] as const))
      .filter(([, t]) => layerOf(`${t}.ts`) !== 0)
      .map(([f, t]) => `${f} → ${t}`);
    expect(reaching).toEqual([]);
  });

  it("a client component takes values from lib only where nothing of the server comes along", () => {
    // A value import pulls the whole module into the browser bundle: a domain module brings drizzle, the
    // database and zod's schemas (whose eval probe the CSP reports). Types are erased; leaf modules, and modules
    // that import only leaf modules (lib/forwarding/event-types.ts), are safe.
    const clientSafe = (target: string): boolean =>
      layerOf(`${target}.ts`) === 0 || importsOf(`${target}.ts`).every((t) => layerOf(`${t}.ts`) === 0);
    const offending: string[] = [];
    for (const file of files.filter((f) => f.startsWith("components/"))) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      if (!text.startsWith('"use client"')) continue;
      for (const m of text.matchAll(/(?:^|\n)\s*import\s+(?!type\b)[^;]*?from\s+"@\/(lib\/[^"]+)"/g)) {
        const target = m[1] as string;
        if (!clientSafe(target)) offending.push(`${file} → ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
