/** A cell a spreadsheet may read as a formula: its first non-blank character starts one (full-width forms too). */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;
/** A plain number cannot be a formula, and an apostrophe would make it text: amounts stay numbers. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV cell. Anything that could start a formula (`=`, `+`, `-`, `@` or their full-width forms as the first
 * non-blank character, or a leading tab, CR or LF) gets a leading apostrophe, and every non-empty cell is quoted:
 * a reader that splits on `;` (Excel in many European locales) then cannot find `=1+2` inside `x;=1+2;y` either.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (text === "") return "";
  if (!PLAIN_NUMBER.test(text) && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}
