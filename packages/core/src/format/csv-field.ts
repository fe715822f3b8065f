/**
 * What a spreadsheet may run as a formula at the start of a cell (OWASP "CSV injection"): `=`,
 * `+`, `-`, `@`, tab, carriage return, and their full-width forms, which some spreadsheets fold.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain decimal number: what a numeric column may hold as it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV field (RFC 4180 quoting), safe to open in a spreadsheet: a cell that starts like a
 * formula is prefixed with `'` and quoted — unless the column is `numeric` (default: when
 * `value` is a number) and the cell is a plain decimal number, such as `-0.25`.
 *
 * @example
 * csvField("=HYPERLINK(\"x\")") // "\"'=HYPERLINK(\"\"x\"\")\""
 * csvField("-1+2") // "\"'-1+2\""
 * csvField("-0.25", true) // "-0.25"
 */
export function csvField(value: string | number, numeric: boolean = typeof value === "number"): string {
  const text = String(value);
  if (FORMULA_START.test(text) && !(numeric && PLAIN_NUMBER.test(text)))
    return `"'${text.replaceAll('"', '""')}"`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV line of `cells`; `numeric[i]` says whether column `i` holds numbers (see {@link csvField}). */
export function csvLine(cells: readonly (string | number)[], numeric: readonly boolean[] = []): string {
  return cells.map((c, i) => csvField(c, numeric[i] ?? typeof c === "number")).join(",");
}
