import type { PriceVersion, Rate, Resolution } from "@budget/core";
import { formatLocalTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import type { Colors } from "../output/ui.js";

/** A rate for people: "2.5", or "3 (>200k: 6)" for a long-context tiered rate. */
export function rateText(rate: Rate | undefined): string {
  if (rate === undefined) return "-";
  if (typeof rate === "string") return rate;
  const tiers = rate.tiers.map(
    (t) => `>${t.startTokens >= 1000 ? `${t.startTokens / 1000}k` : t.startTokens}: ${t.price}`,
  );
  return `${rate.base} (${tiers.join(", ")})`;
}

function interval(v: PriceVersion): [string, string] {
  return [
    v.effectiveFrom <= 0 ? "always" : formatLocalTime(v.effectiveFrom),
    v.effectiveTo === null ? "in force" : formatLocalTime(v.effectiveTo),
  ];
}

/** Versions as a table: USD per million tokens. */
export function priceTable(versions: PriceVersion[], colors: Colors, withInterval: boolean): string {
  return renderTable(
    [
      { header: "Provider" },
      { header: "Model" },
      { header: "Input $/M", align: "right" },
      { header: "Output $/M", align: "right" },
      { header: "Cache read $/M", align: "right" },
      { header: "Cache write $/M", align: "right" },
      { header: "Source" },
      ...(withInterval ? [{ header: "From" }, { header: "To" }] : []),
    ],
    versions.map((v) => [
      v.provider,
      v.model,
      rateText(v.tokenRates.input),
      rateText(v.tokenRates.output),
      rateText(v.tokenRates.cacheRead),
      rateText(v.tokenRates.cacheWrite),
      v.source,
      ...(withInterval ? interval(v) : []),
    ]),
    colors,
  );
}

/** One version in full: every rate, the source and the effective interval. */
export function describeVersion(v: PriceVersion, colors: Colors): string {
  const [from, to] = interval(v);
  const lines = [
    `${colors.bold(`${v.provider}/${v.model}`)}  version ${v.id}`,
    `  source ${v.source}, effective ${from} → ${to}`,
  ];
  lines.push("  per million tokens (USD):");
  for (const [field, rate] of Object.entries(v.tokenRates))
    lines.push(`    ${field.padEnd(15)} ${rateText(rate)}`);
  const units = Object.entries(v.unitRates ?? {});
  if (units.length > 0) {
    lines.push("  per unit (USD):");
    for (const [field, rate] of units) lines.push(`    ${field.padEnd(15)} ${rate}`);
  }
  if (v.batchMultiplier) lines.push(`  batch: × ${v.batchMultiplier}`);
  for (const w of v.schedule ?? []) {
    const rates = Object.entries(w.tokenRates).map(([field, rate]) => `${field} ${rateText(rate)}`);
    lines.push(`  ${w.startUtc}–${w.endUtc} UTC: ${rates.join(", ")}`);
  }
  return lines.join("\n");
}

/** A resolution for people: the sentence, then the version in full when there is one. */
export function describeResolution(r: Resolution, colors: Colors): string {
  const head = r.version ? colors.bold(r.reason) : colors.red(r.reason);
  const rule = r.rule ? `  rule ${r.rule}${r.matched ? ` (${r.matched})` : ""}` : "";
  return [head, rule, r.version ? describeVersion(r.version, colors) : ""].filter(Boolean).join("\n");
}
