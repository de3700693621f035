import Big from "big.js";

/**
 * Exact decimal arithmetic on plain decimal strings ("121.50"), through big.js (README, "Design": why big.js).
 * Money never becomes a float. Sums and differences are exact — every digit kept, rounded by nobody — and a
 * product or a percentage is rounded once, half away from zero, at the scale its caller asks for.
 */

/** A constructor of our own: strict (a JavaScript number is refused, never silently converted). */
const Decimal = Big();
Decimal.strict = true;
Decimal.RM = Big.roundHalfUp;

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** big.js also reads "1e5" and " 1": money text is only ever a plain decimal. */
function decimal(value: string): Big {
  if (!PLAIN_DECIMAL.test(value)) throw new Error(`not a plain decimal: ${JSON.stringify(value)}`);
  return new Decimal(value);
}

/** Plain text (never an exponent), and zero without a sign. */
function text(value: Big, scale?: number): string {
  const out = scale === undefined ? value.toFixed() : value.toFixed(scale, Big.roundHalfUp);
  return /^-0(\.0*)?$/.test(out) ? out.slice(1) : out;
}

/** a + b, exactly. */
export function addDecimal(a: string, b: string): string {
  return text(decimal(a).plus(decimal(b)));
}

/** a − b, exactly. */
export function subtractDecimal(a: string, b: string): string {
  return text(decimal(a).minus(decimal(b)));
}

/** a × b, rounded half away from zero to `scale` decimals (a conversion: 19.99 × 91.2345 → "1823.78"). */
export function multiplyDecimal(a: string, b: string, scale = 2): string {
  return text(decimal(a).times(decimal(b)), scale);
}

/** a rounded half away from zero to `scale` decimals, always written with them ("46.3" → "46.30"). */
export function roundDecimal(a: string, scale = 2): string {
  return text(decimal(a), scale);
}

export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  return decimal(a).cmp(decimal(b)) as -1 | 0 | 1;
}

/** An integer number of hundredths as a decimal string: 1234 → "12.34". */
export function fromCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`not a whole number of cents: ${cents}`);
  return text(decimal(String(cents)).div("100"), 2);
}

/** Divides to one decimal, correctly rounded by big.js: one rounding, no digit beyond the first guessed. */
const Percent = Big();
Percent.DP = 1;
Percent.RM = Big.roundHalfUp;

/** a as a percentage of b, rounded half up to one decimal (2 of 14 → "14.3"); null when b is 0. */
export function percentDecimal(a: string, b: string): string | null {
  const denominator = decimal(b);
  if (denominator.eq("0")) return null;
  return text(new Percent(decimal(a).times("100")).div(denominator), 1);
}

/**
 * The text PHP writes for a float holding this decimal, when that text reads back to the same value in every
 * handler: SkinsBack's PHP sends its numbers as floats in their shortest form ("301.20" travels as 301.2), and a
 * merchant's handler that reads a number back (JavaScript `JSON.parse` then `String`, PHP `json_decode` then a
 * string cast) signs that shortest text. PHP casts a float to text with 14 significant digits and switches to an
 * exponent below 1e-4 and from 1e15, so only a decimal inside those bounds has one reading on both sides; for any
 * other this returns null, and the caller sends the exact text as a JSON string, which every reader keeps as is.
 */
export function phpFloatText(value: string): string | null {
  const d = decimal(value);
  if (d.eq("0")) return "0";
  const significant = d.c.length; // big.js keeps the coefficient without leading or trailing zeros
  const magnitude = d.abs();
  if (significant > 14 || magnitude.lt("0.0001") || magnitude.gte("1000000000000000")) return null;
  return text(d);
}
