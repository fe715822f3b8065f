import type { PriceVersion, Rate } from "../../api/types.js";

/** A rate per million tokens as shown: `$2.50`, `$0.075`, tiered as `$1.25 (+ 1 tier)`. */
export function formatRate(rate: Rate | undefined): string {
  if (rate === undefined) return "—";
  const base = typeof rate === "string" ? rate : rate.base;
  const [whole = "0", frac = ""] = base.split(".");
  const shown = `$${whole}.${frac.replace(/0+$/, "").padEnd(2, "0")}`;
  return typeof rate === "string"
    ? shown
    : `${shown} (+${rate.tiers.length} tier${rate.tiers.length > 1 ? "s" : ""})`;
}

/** The four rates most people compare. */
export const RATE_COLUMNS: { key: keyof PriceVersion["tokenRates"] & string; label: string }[] = [
  { key: "input", label: "Input" },
  { key: "output", label: "Output" },
  { key: "cacheRead", label: "Cache read" },
  { key: "cacheWrite", label: "Cache write" },
];
