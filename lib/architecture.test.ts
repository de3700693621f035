import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers of CODE_STYLE.md, held by reading every import of the application's own code — `import … from`,
 * `export … from` and `import()` — tests, test helpers and benchmarks excluded (they may reach across to set things
 * up). The layers are one ordered list, the domain folders in it too: a module imports from its own place or a
 * lower one, never a higher one, so no two folders can import each other, and no file may sit in a place the
 * list does not know.
 */
const ROOT = path.resolve(import.meta.dirname, "..");

/** Lowest first. Each entry: a name, and the files or folders (a trailing slash) that make it up. */
const LAYERS: { name: string; places: string[] }[] = [
  {
    name: "leaf",
    places: [
      "lib/errors/",
      "lib/money/",
      "lib/time/",
      "lib/text/",
      "lib/security/",
      "lib/http/",
      "lib/skinsback/",
    ],
  },
  { name: "config", places: ["lib/config/", "lib/env.ts"] },
  { name: "db", places: ["lib/db/"] },
  // The domain, in the order its folders may depend on each other.
  { name: "audit", places: ["lib/audit/"] },
  { name: "settings", places: ["lib/settings/"] },
  { name: "jobs", places: ["lib/jobs/"] },
  { name: "metrics", places: ["lib/metrics/"] },
  { name: "risk", places: ["lib/risk/"] },
  { name: "auth", places: ["lib/auth/"] },
  { name: "deposits", places: ["lib/deposits/"] },
  { name: "gateway", places: ["lib/gateway/"] },
  { name: "holds", places: ["lib/holds/"] },
  { name: "forwarding", places: ["lib/forwarding/"] },
  { name: "failed-notifications", places: ["lib/failed-notifications/"] },
  { name: "reconciliation", places: ["lib/reconciliation/"] },
  { name: "retention", places: ["lib/retention/"] },
  { name: "alerts", places: ["lib/alerts/"] },
  { name: "overview", places: ["lib/overview/"] },
  { name: "monitoring", places: ["lib/monitoring/"] },
  { name: "sandbox", places: ["lib/sandbox/"] },
  { name: "server", places: ["lib/request-log.ts", "lib/server-start.ts"] },
  { name: "route", places: ["lib/route/"] },
  { name: "components", places: ["components/"] },
  { name: "app", places: ["app/", "proxy.ts", "instrumentation.ts"] },
];

const inPlace = (file: string, place: string) =>
  place.endsWith("/") ? file.startsWith(place) : file === place;
const layerOf = (file: string) => LAYERS.findIndex((l) => l.places.some((p) => inPlace(file, p)));
/** The folder (or root file) a file belongs to: the unit of the cycle check. */
const unitOf = (file: string) => {
  const parts = file.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : file;
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) {
      if (rel !== "lib/testing") out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts"))
      out.push(rel);
  }
  return out;
}

const files = ["lib", "components", "app"].flatMap(sourceFiles).concat(["proxy.ts", "instrumentation.ts"]);
const known = new Set(files);

/** Resolves an import's target to a project file (or undefined: a package). */
function resolve(from: string, spec: string): string | undefined {
  const bare = spec.startsWith("@/")
    ? spec.slice(2)
    : spec.startsWith(".")
      ? path.posix.join(path.posix.dirname(from), spec)
      : undefined;
  if (bare === undefined) return undefined;
  return [bare, `${bare}.ts`, `${bare}.tsx`, `${bare}/index.ts`].find((f) => known.has(f)) ?? `${bare}.ts`;
}

/** Every project file a file imports: static imports and re-exports (types included) and dynamic import(). */
function importsOf(file: string, options: { values?: boolean } = {}): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const statics = [...text.matchAll(/(?:^|\n)\s*(?:import|export)(\s+type\b)?[^;]*?from\s+"([^"]+)"/g)]
    .filter((m) => !(options.values && m[1]))
    .map((m) => m[2] as string);
  const dynamics = [...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] as string);
  return [...statics, ...dynamics].map((s) => resolve(file, s)).filter((s): s is string => s !== undefined);
}

/** The cycles of a graph, each as the nodes of one strongly connected component (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, order.get(w) as number));
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!order.has(v)) visit(v);
  return found;
}

describe("architecture: ordered layers, no cycles", () => {
  it("reads the whole application, and every file sits in a place the list knows", () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.filter((f) => layerOf(f) === -1)).toEqual([]);
  });

  it("every import points at the same place or a lower one", () => {
    const climbing: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to > from) climbing.push(`${file} (${LAYERS[from]?.name}) → ${target} (${LAYERS[to]?.name})`);
      }
    }
    expect(climbing).toEqual([]);
  });

  it("no two folders import each other, however far round", () => {
    const graph = new Map<string, Set<string>>();
    for (const file of files) {
      const from = unitOf(file);
      for (const target of importsOf(file)) {
        const to = unitOf(target);
        if (to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
      }
    }
    expect(cycles(graph)).toEqual([]);
  });

  it("no two files import each other, however far round (types included)", () => {
    const graph = new Map(files.map((f) => [f, new Set(importsOf(f).filter((t) => t !== f))]));
    expect(cycles(graph)).toEqual([]);
  });

  it("the checks see what they must: import() is read, and a climbing import would be caught", () => {
    expect(importsOf("lib/server-start.ts")).toContain("lib/forwarding/forwarding-loop.ts");
    expect(layerOf("lib/alerts/rules.ts")).toBeGreaterThan(layerOf("lib/settings/store.ts"));
    expect(layerOf(["lib", "not-a-known-place", "x.ts"].join("/"))).toBe(-1);
  });

  it("the leaf modules import no other layer: they can be used anywhere, a client component included", () => {
    const reaching = files
      .filter((f) => layerOf(f) === 0)
      .flatMap((f) => importsOf(f).map((t) => [f, t] as const))
      .filter(([, t]) => layerOf(t) !== 0)
      .map(([f, t]) => `${f} → ${t}`);
    expect(reaching).toEqual([]);
  });

  it("components never import the route layer", () => {
    const reaching = files
      .filter((f) => f.startsWith("components/"))
      .flatMap((f) => importsOf(f).map((t) => [f, t] as const))
      .filter(([, t]) => t.startsWith("lib/route/"))
      .map(([f, t]) => `${f} → ${t}`);
    expect(reaching).toEqual([]);
  });

  it("a client component takes values from lib only where nothing of the server comes along", () => {
    // A value import pulls the whole module into the browser bundle: a domain module brings drizzle, the
    // database and zod's schemas (whose eval probe the CSP reports). Types are erased; leaf modules, and modules
    // that import only leaf modules (lib/forwarding/event-types.ts), are safe.
    const clientSafe = (target: string): boolean =>
      layerOf(target) === 0 || importsOf(target, { values: true }).every((t) => layerOf(t) === 0);
    const offending: string[] = [];
    for (const file of files.filter((f) => f.startsWith("components/"))) {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      if (!text.startsWith('"use client"')) continue;
      for (const m of text.matchAll(/(?:^|\n)\s*import\s+(?!type\b)[^;]*?from\s+"@\/(lib\/[^"]+)"/g)) {
        const target = resolve(file, `@/${m[1] as string}`) as string;
        if (!clientSafe(target)) offending.push(`${file} → ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
