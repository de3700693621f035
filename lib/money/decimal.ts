/**
 * Exact decimal arithmetic on plain decimal strings ("121.50"), through BigInt. Money never becomes a float.
 */

const PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

function toScaled(value: string, scale: number): bigint {
  const match = PATTERN.exec(value);
  if (!match) throw new Error(`not a plain decimal: ${JSON.stringify(value)}`);
  const [, sign, whole = "0", fraction = ""] = match;
  const kept = fraction.slice(0, scale).padEnd(scale, "0");
  let scaled = BigInt(whole + kept);
  // Round half up on the first dropped digit.
  if (fraction.length > scale && Number(fraction[scale]) >= 5) scaled += 1n;
  return sign === "-" ? -scaled : scaled;
}

function fromScaled(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** a × b, rounded half up to `scale` decimals. */
export function multiplyDecimal(a: string, b: string, scale = 2): string {
  const extra = 8;
  const product = toScaled(a, extra) * toScaled(b, extra); // scale 2·extra
  const divisor = 10n ** BigInt(2 * extra - scale);
  const half = divisor / 2n;
  const rounded = product >= 0n ? (product + half) / divisor : (product - half) / divisor;
  return fromScaled(rounded, scale);
}

export function addDecimal(a: string, b: string, scale = 2): string {
  return fromScaled(toScaled(a, scale) + toScaled(b, scale), scale);
}

export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = toScaled(a, 18);
  const y = toScaled(b, 18);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An integer number of hundredths as a decimal string: 1234 → "12.34". */
export function fromCents(cents: number): string {
  return fromScaled(BigInt(cents), 2);
}

export function subtractDecimal(a: string, b: string, scale = 2): string {
  return fromScaled(toScaled(a, scale) - toScaled(b, scale), scale);
}

/** a as a percentage of b, rounded half up to one decimal (2 of 14 → "14.3"); null when b is 0. */
export function percentDecimal(a: string, b: string): string | null {
  const denominator = toScaled(b, 8);
  if (denominator === 0n) return null;
  return fromScaled((toScaled(a, 8) * 1000n + denominator / 2n) / denominator, 1);
}
