import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The README stays true: its two set-up commands are the ones a fresh machine runs, every `npm run` it names is a
 * script, every link inside the repository leads somewhere, and every environment variable it tells people to set
 * is one something reads.
 */
const root = path.resolve(import.meta.dirname, "..");
const readme = readFileSync(path.join(root, "README.md"), "utf8");
const scripts = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");

describe("the README", () => {
  it("has exactly the two set-up commands, and both work as written", () => {
    const setup = [...readme.matchAll(/^npm ci && npm (run dev|test)$/gm)].map((m) => m[0]);
    expect(setup).toEqual(["npm ci && npm run dev", "npm ci && npm test"]);
    expect(scripts.dev).toBeDefined();
    expect(scripts.test).toBeDefined();
  });

  it("names only npm scripts that exist", () => {
    const named = new Set([...readme.matchAll(/npm run ([a-z][a-z0-9:-]*)/g)].map((m) => m[1] as string));
    expect(named.size).toBeGreaterThan(3);
    for (const name of named) expect(scripts[name], `npm run ${name}`).toBeDefined();
  });

  it("links only to headings and files that exist", () => {
    for (const file of [
      "README.md",
      "docs/benchmarks.md",
      "docs/receiver.md",
      "docs/at-scale.md",
      "CODE_STYLE.md",
    ]) {
      const text = readFileSync(path.join(root, file), "utf8");
      const dir = path.dirname(path.join(root, file));
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^https?:/.test(target)) continue;
        const [where, anchor] = target.split("#");
        const linked = where ? path.resolve(dir, where) : path.join(root, file);
        expect(existsSync(linked), `${file} → ${target}`).toBe(true);
        if (anchor && linked.endsWith(".md")) {
          const headings = [...readFileSync(linked, "utf8").matchAll(/^#{1,4} (.+)$/gm)].map((m) =>
            anchorOf(m[1] as string),
          );
          expect(headings, `${file} → ${target}`).toContain(anchor);
        }
      }
    }
  });

  it("tells people to set only environment variables something reads", () => {
    const sources = [
      "lib/config/env-schema.ts",
      "lib/testing/databases.ts",
      "scripts/dev.mjs",
      "scripts/e2e-server.mjs",
      "bench/run.mjs",
      "next.config.ts",
      "lib/request-log.ts",
      "deploy/docker-compose.yml",
    ]
      .filter((f) => existsSync(path.join(root, f)))
      .map((f) => readFileSync(path.join(root, f), "utf8"))
      .join("\n");
    const told = new Set([...readme.matchAll(/`([A-Z][A-Z0-9_]{3,})=/g)].map((m) => m[1] as string));
    expect(told.size).toBeGreaterThan(3);
    for (const name of told) expect(sources, name).toContain(name);
  });
});

describe("pointers in the code", () => {
  const sourceFiles = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !f.includes("node_modules"))
      .map((f) => path.posix.join(dir, f.split(path.sep).join("/")));
  const files = ["lib", "components", "app", "scripts", "bench", "faults", "e2e"]
    .flatMap(sourceFiles)
    .concat(["proxy.ts", "instrumentation.ts", "next.config.ts"]);
  const anchorsOf = (file: string) => {
    const text = readFileSync(path.join(root, file), "utf8");
    return new Set([
      ...[...text.matchAll(/^#{1,4} (.+)$/gm)].map((m) => anchorOf(m[1] as string)),
      ...[...text.matchAll(/<a id="([^"]+)">/g)].map((m) => m[1] as string),
    ]);
  };

  it("every file a comment names exists, and every docs anchor it names is there", () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(root, file), "utf8");
      for (const [, target, anchor] of text.matchAll(
        /\b((?:lib|components|app|scripts|bench|faults|e2e|docs|deploy)\/[\w./[\]()-]+\.(?:ts|tsx|mjs|md|json|yml))(?:#([\w-]+))?/g,
      )) {
        const where = target as string;
        if (!existsSync(path.join(root, where))) broken.push(`${file} → ${where}`);
        else if (anchor && where.endsWith(".md") && !anchorsOf(where).has(anchor)) {
          broken.push(`${file} → ${where}#${anchor}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("no comment sends the reader outside the repository for what the code relies on", () => {
    const outside = files.filter((file) =>
      /skinsback-api\.md|architecture\.md|shared\/seeds|reference §/.test(
        readFileSync(path.join(root, file), "utf8"),
      ),
    );
    expect(outside).toEqual(["scripts/readme.test.ts"]);
  });
});
