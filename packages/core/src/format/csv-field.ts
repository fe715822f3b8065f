/**
 * One CSV field (RFC 4180 quoting). Text a spreadsheet would run as a formula (`=`, `+`, `@`, a
 * leading `-` that is not a number) is prefixed with `'`.
 */
export function csvField(value: string | number): string {
  const text = String(value);
  const v = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
