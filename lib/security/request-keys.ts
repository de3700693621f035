/**
 * Keys a request may not carry. Copying `__proto__` into an ordinary object replaces that object's prototype, so
 * fields nobody signed or sent at the top level (`"__proto__": {"status": "success"}`) would be read by validation
 * as if they were there; `constructor` and `prototype` are the other two names that reach an object's prototype
 * chain through property paths. No SkinsBack field and no console parameter has one of these names, so a request
 * carrying one anywhere is refused (400), not cleaned: it can only come from someone probing.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

const MAX_DEPTH = 32;

/** The path of the first forbidden key in `value` (own keys only, at any depth), or undefined. */
export function findForbiddenKey(value: unknown, path = "body", depth = 0): string | undefined {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The first forbidden name in the keys of a form body (`a[__proto__][b]=…`, PHP bracket notation), read from the
 * raw pairs: the bracket parser drops such keys silently, so they are looked for before it runs.
 */
export function findForbiddenFormKey(rawBody: string): string | undefined {
  for (const name of new URLSearchParams(rawBody).keys()) {
    for (const segment of name.split(/[[\]]+/)) {
      if (FORBIDDEN_KEYS.has(segment)) return `body.${name.slice(0, 64)}`;
    }
  }
  return undefined;
}

/** An empty object with no prototype: what request keys are copied into, so no key can reach Object.prototype. */
export function nullPrototypeObject<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
