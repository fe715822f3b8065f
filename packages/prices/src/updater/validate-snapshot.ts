import type { PriceQuote, SourceSnapshot } from "../sources/price-source.js";
import { modelKey } from "./diff-catalog.js";
import { priceFields, pricesOf } from "./rate-fields.js";
import type { UpdatePolicy } from "./update-policy.js";

/** An entry whose price is beyond belief (e.g. a per-million price written as per-token). */
export interface AbsurdQuote {
  provider: string;
  model: string;
  field: string;
  value: string;
}

/** The verdict on one snapshot. */
export type SnapshotVerdict =
  | { ok: true; quotes: PriceQuote[]; dropped: AbsurdQuote[] }
  | {
      ok: false;
      reason: "absurd_prices" | "models_dropped" | "empty";
      message: string;
      data: Record<string, unknown>;
    };

/**
 * Checks a snapshot as a whole before any of it is used: too many absurd prices, or too many
 * of the models the source listed last time (`previousKeys`) missing, refuse it entirely.
 */
export function validateSnapshot(
  snapshot: SourceSnapshot,
  previousKeys: ReadonlySet<string> | null,
  policy: UpdatePolicy,
): SnapshotVerdict {
  const absurd = findAbsurd(snapshot.quotes, policy);
  const absurdModels = new Set(absurd.map(modelKey));
  const n = snapshot.quotes.length;
  if (absurdModels.size > 0 && absurdModels.size > policy.maxAbsurdShare * n) {
    return {
      ok: false,
      reason: "absurd_prices",
      message: `${absurdModels.size} of ${n} models have absurd prices`,
      data: { absurd: absurd.slice(0, 20), absurdCount: absurdModels.size, total: n },
    };
  }
  if (previousKeys && previousKeys.size > 0) {
    const now = new Set(snapshot.quotes.map(modelKey));
    let missing = 0;
    for (const k of previousKeys) if (!now.has(k)) missing += 1;
    const share = missing / previousKeys.size;
    if (share > policy.maxDropShare) {
      return {
        ok: false,
        reason: "models_dropped",
        message: `${missing} of ${previousKeys.size} models missing (${(share * 100).toFixed(1)}%)`,
        data: { missing, previous: previousKeys.size, share },
      };
    }
  } else if (n === 0) {
    return { ok: false, reason: "empty", message: "no priced models", data: {} };
  }
  const quotes = snapshot.quotes.filter((q) => !absurdModels.has(modelKey(q)));
  return { ok: true, quotes, dropped: absurd };
}

/** Fields priced above the policy's absurdity bounds. */
export function findAbsurd(quotes: readonly PriceQuote[], policy: UpdatePolicy): AbsurdQuote[] {
  const out: AbsurdQuote[] = [];
  for (const q of quotes) {
    for (const [field, rate] of priceFields(q)) {
      if (field === "batchMultiplier") continue;
      const bound = /(?:^|\.)unitRates\./.test(field) ? policy.absurdPerUnit : policy.absurdPerMtok;
      const worst = pricesOf(rate).find((p) => Number(p) > bound);
      if (worst !== undefined) out.push({ provider: q.provider, model: q.model, field, value: worst });
    }
  }
  return out;
}
