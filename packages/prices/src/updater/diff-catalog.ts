import type { PriceVersion, Rate } from "@budget/core";
import type { PriceQuote } from "../sources/price-source.js";
import { changePct, type PriceBody, type PriceField, priceFields, rateKey } from "./rate-fields.js";

/** One field of one model whose price differs. */
export interface FieldChange {
  provider: string;
  model: string;
  field: PriceField;
  /** null when the field is new. */
  from: Rate | null;
  /** null when the field is gone. */
  to: Rate | null;
  /** Percentage change of the base price; null when from is absent or zero. */
  changePct: number | null;
}

/** What a set of quotes would change in the catalog. */
export interface CatalogDiff {
  added: PriceQuote[];
  removed: PriceVersion[];
  changed: FieldChange[];
}

const NONE: ReadonlySet<PriceField> = new Set();

/** `provider\0model`, the identity of a model across sources and versions. */
export function modelKey(x: { provider: string; model: string }): string {
  return `${x.provider}\u0000${x.model}`;
}

/**
 * Compares the versions in force with a set of quotes: models added, models removed, and each
 * changed field with its percentage change (a field present on one side only counts as changed).
 */
export function diffCatalog(current: readonly PriceVersion[], quotes: readonly PriceQuote[]): CatalogDiff {
  const byKey = new Map(current.map((v) => [modelKey(v), v]));
  const quoted = new Set<string>();
  const diff: CatalogDiff = { added: [], removed: [], changed: [] };
  for (const q of quotes) {
    const key = modelKey(q);
    quoted.add(key);
    const v = byKey.get(key);
    if (!v) diff.added.push(q);
    else diff.changed.push(...fieldChanges(v, q));
  }
  for (const [key, v] of byKey) if (!quoted.has(key)) diff.removed.push(v);
  return diff;
}

/**
 * The changed fields between a version and a quote of the same model. A field the version has and
 * the quote lacks is a change to `null` (the new version will not have it), unless the quote's
 * source is `partial` for that field (it never carries it).
 */
export function fieldChanges(
  from: PriceVersion,
  to: PriceBody & { provider: string; model: string },
  partial: ReadonlySet<PriceField> = NONE,
): FieldChange[] {
  const a = priceFields(from);
  const b = priceFields(to);
  const fields = [...new Set([...a.keys(), ...b.keys()])].filter((f) => b.has(f) || !partial.has(f));
  const out: FieldChange[] = [];
  for (const field of fields.sort()) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (x !== null && y !== null && rateKey(x) === rateKey(y)) continue;
    out.push({ provider: to.provider, model: to.model, field, from: x, to: y, changePct: changePct(x, y) });
  }
  return out;
}
