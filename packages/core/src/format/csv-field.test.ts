import { describe, expect, it } from "vitest";
import { OWASP_CSV_PAYLOADS, parseCsvLine } from "../testing/csv-payloads.js";
import { csvField, csvLine } from "./csv-field.js";

const RISKY = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe("csvField", () => {
  it("neutralises every OWASP payload in a text column, and keeps its text after the quote", () => {
    for (const p of OWASP_CSV_PAYLOADS) {
      const [cell] = parseCsvLine(csvField(p));
      expect(cell, p).toBe(`'${p}`);
    }
  });

  it("keeps plain numbers as numbers in a numeric column, and nothing else", () => {
    expect(csvLine(["-0.25", "-1", 3, -7], [true, true, true, true])).toBe("-0.25,-1,3,-7");
    for (const p of OWASP_CSV_PAYLOADS.filter((x) => !/^-?\d+(\.\d+)?$/.test(x))) {
      const [cell] = parseCsvLine(csvField(p, true));
      expect(RISKY.test(cell ?? ""), p).toBe(false);
    }
    expect(csvField("-Infinity", true)).toBe(`"'-Infinity"`);
  });

  it("quotes separators and quotes (RFC 4180) and leaves safe text alone", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("plain")).toBe("plain");
    expect(csvField("2026-05-01T00:00:00.000Z")).toBe("2026-05-01T00:00:00.000Z");
    expect(parseCsvLine(csvLine(["a\nb", "x,y", 'q"'])).join("|")).toBe('a\nb|x,y|q"');
  });
});
