import type { PriceVersion, Rate } from "@budget/core";
import { canonicalDecimal, compareDecimal, mergeCapabilities, parseDecimal } from "@budget/core";
import type { PriceQuote } from "../sources/price-source.js";

/** A priced field of a quote or version: `tokenRates.input`, `unitRates.request`, `batchMultiplier`. */
export type PriceField = string;

/** The rates part shared by quotes and versions. */
export interface PriceBody {
  tokenRates: PriceQuote["tokenRates"];
  unitRates: PriceQuote["unitRates"];
  batchMultiplier?: string | undefined;
  schedule?: PriceVersion["schedule"] | undefined;
  /** Model facts, carried into the version a body makes (never a price field). */
  capabilities?: PriceVersion["capabilities"] | undefined;
}

/**
 * Flattens a quote or version into field → rate, leaving out absent fields. Time-of-day windows
 * flatten too, named by position and hours: `schedule.0[00:30:00-16:30:00].tokenRates.input`.
 */
export function priceFields(body: PriceBody): Map<PriceField, Rate> {
  const out = new Map<PriceField, Rate>();
  const rates = (prefix: string, r: Pick<PriceBody, "tokenRates" | "unitRates">) => {
    for (const [k, v] of Object.entries(r.tokenRates))
      if (v !== undefined) out.set(`${prefix}tokenRates.${k}`, v);
    for (const [k, v] of Object.entries(r.unitRates ?? {}))
      if (v !== undefined) out.set(`${prefix}unitRates.${k}`, v);
  };
  rates("", body);
  if (body.batchMultiplier !== undefined) out.set("batchMultiplier", body.batchMultiplier);
  for (const [i, w] of (body.schedule ?? []).entries()) rates(`schedule.${i}[${w.startUtc}-${w.endUtc}].`, w);
  return out;
}

/** A canonical text of a rate: equal rates have equal keys (`"0.30"` and `"3e-1"` alike). */
export function rateKey(rate: Rate): string {
  if (typeof rate === "string") return canonicalDecimal(rate);
  const tiers = rate.tiers.map((t) => `${t.startTokens}:${canonicalDecimal(t.price)}`).join(",");
  return `${canonicalDecimal(rate.base)}[${tiers}]`;
}

/** The flat (base) price of a rate. */
export function baseOf(rate: Rate): string {
  return typeof rate === "string" ? rate : rate.base;
}

/** Every price a rate contains (base and tiers). */
export function pricesOf(rate: Rate): string[] {
  return typeof rate === "string" ? [rate] : [rate.base, ...rate.tiers.map((t) => t.price)];
}

/** Percentage change of the base price, `null` when there is no finite one (from absent or zero). */
export function changePct(from: Rate | null, to: Rate | null): number | null {
  if (from === null || to === null) return null;
  const a = Number(baseOf(from));
  const b = Number(baseOf(to));
  if (a === 0) return b === 0 ? 0 : null;
  return Math.round(((b - a) / a) * 100 * 1e6) / 1e6;
}

/**
 * True when two rates agree within a relative `tolerance` (0.01 = 1%) on every price, with the
 * same tier thresholds. Exact decimal equality always agrees.
 */
export function ratesAgree(a: Rate, b: Rate, tolerance: number): boolean {
  if (rateKey(a) === rateKey(b)) return true;
  const pa = pricesOf(a);
  const pb = pricesOf(b);
  if (pa.length !== pb.length) return false;
  if (typeof a !== "string" && typeof b !== "string") {
    if (a.tiers.some((t, i) => t.startTokens !== b.tiers[i]?.startTokens)) return false;
  }
  return pa.every((x, i) => withinTolerance(x, pb[i] as string, tolerance));
}

function withinTolerance(x: string, y: string, tolerance: number): boolean {
  if (compareDecimal(parseDecimal(x), parseDecimal(y)) === 0) return true;
  const a = Number(x);
  const b = Number(y);
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The body of the version a quote makes: the quote's fields, whole — a field it lacks is absent
 * from the new version — except the fields its source is `partial` for (never carries), which
 * keep their current value.
 */
export function mergeOver(
  current: PriceVersion | null,
  quote: PriceQuote,
  partial: ReadonlySet<PriceField> = new Set(),
): PriceBody {
  const body: PriceBody = { tokenRates: { ...quote.tokenRates }, unitRates: { ...quote.unitRates } };
  if (quote.batchMultiplier !== undefined) body.batchMultiplier = quote.batchMultiplier;
  if (quote.schedule !== undefined) body.schedule = quote.schedule;
  // Facts the quote is silent about keep what an earlier source said (unknown never erases known).
  const capabilities = mergeCapabilities(current?.capabilities, quote.capabilities);
  if (capabilities) body.capabilities = capabilities;
  if (!current) return body;
  const tokens = body.tokenRates as Record<string, unknown>;
  const units = body.unitRates as Record<string, unknown>;
  for (const field of partial) {
    const [group, key = ""] = field.split(".");
    if (group === "tokenRates" && tokens[key] === undefined) {
      const v = (current.tokenRates as Record<string, unknown>)[key];
      if (v !== undefined) tokens[key] = v;
    } else if (group === "unitRates" && units[key] === undefined) {
      const v = (current.unitRates as Record<string, unknown>)[key];
      if (v !== undefined) units[key] = v;
    } else if (field === "batchMultiplier" && body.batchMultiplier === undefined && current.batchMultiplier) {
      body.batchMultiplier = current.batchMultiplier;
    } else if (field === "schedule" && body.schedule === undefined && current.schedule) {
      body.schedule = current.schedule;
    }
  }
  return body;
}
