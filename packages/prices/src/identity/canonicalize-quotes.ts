import { type MemoryCatalog, providerIdOf } from "@budget/core";
import type { PriceQuote, SkippedEntry } from "../sources/price-source.js";
import { priceFields, rateKey } from "../updater/rate-fields.js";
import { canonicalProvider } from "./canonical-providers.js";

/** Several feed entries that name one canonical model: one kept, the others dropped. */
export interface DuplicateQuote {
  provider: string;
  model: string;
  /** `provider/model` as the feed spelled the entry kept, then those dropped (same prices, or same id). */
  kept: string;
  dropped: string[];
  /**
   * Further entries reaching the model only through an alias or a rewrite (`us.` region, date
   * suffix): kept as models of their own name, which then resolves to them.
   */
  split: string[];
  /** True when a dropped entry carried other prices than the one kept. */
  conflicting: boolean;
}

/** Options of {@link canonicalizeQuotes}. */
export interface CanonicalizeOptions {
  /** The source's own skipped entries: its duplicates are reported with the others. */
  skipped?: readonly SkippedEntry[];
  /** Provider ids declared in configuration, known in addition to the catalog's. */
  providers?: readonly string[];
  /** The source declares providers itself (a manual override): any name is taken, spelled canonically. */
  declaresProviders?: boolean;
}

/** What mapping one snapshot to canonical identities did. */
export interface CanonicalQuotes {
  quotes: PriceQuote[];
  /** Entries whose provider maps to no known provider: left out. */
  unmapped: { count: number; sample: string[] };
  duplicates: DuplicateQuote[];
}

const SAMPLE = 10;
/** Lower is a better claim on a canonical model: its own id beats an alias, which beats a rewrite. */
const RANK = { id: 0, alias: 1, shortened_id: 2, prefix: 3, none: 4 } as const;

/**
 * Maps every quote to one canonical (provider, model) before anything is compared or stored:
 * the provider through the provider table (`canonicalProvider`), the model to the catalog model
 * of that same provider its name resolves to (id, declared alias, dated or shortened id, declared
 * prefix), else its own name as a new model. Entries that land on one model keep one quote (the
 * one spelled as the model's id, else the first); every other entry that reached it only through
 * an alias or a rewrite becomes a model of its own name, and another spelling of the same id is
 * dropped (`conflicting` when its prices differ). Which entry wins never depends on prices.
 */
export function canonicalizeQuotes(
  quotes: readonly PriceQuote[],
  catalog: MemoryCatalog,
  options: CanonicalizeOptions = {},
): CanonicalQuotes {
  const skipped = options.skipped ?? [];
  const known = new Set(catalog.versions().map((v) => v.provider.toLowerCase()));
  for (const m of catalog.models()) known.add(m.provider.toLowerCase());
  for (const p of options.providers ?? []) known.add(providerIdOf(p));
  const unmapped: string[] = [];
  const groups = new Map<string, Entry[]>();
  for (const q of quotes) {
    const spelled = `${q.provider}/${q.model}`;
    const provider = options.declaresProviders
      ? providerIdOf(q.provider)
      : canonicalProvider(q.provider, known);
    if (!provider) {
      unmapped.push(spelled);
      continue;
    }
    const hit = catalog.identify(provider, q.model);
    const model = hit?.model ?? q.model;
    const exact = hit?.rule === "id" && hit.model.toLowerCase() === q.model.trim().toLowerCase();
    const rank = exact ? RANK.id : hit ? RANK[hit.rule === "id" ? "alias" : hit.rule] : RANK.none;
    const aliases = [...new Set([...(q.aliases ?? []), ...(model === q.model ? [] : [q.model])])];
    const quote: PriceQuote = { ...q, provider: hit?.provider ?? provider, model };
    if (aliases.length > 0) quote.aliases = aliases;
    const key = `${quote.provider}\u0000${model.toLowerCase()}`;
    const list = groups.get(key) ?? [];
    list.push({ quote, rank, spelled, original: q.model });
    groups.set(key, list);
  }
  const out: CanonicalQuotes = {
    quotes: [],
    unmapped: { count: unmapped.length, sample: unmapped.slice(0, SAMPLE) },
    duplicates: [],
  };
  const taken = new Set(groups.keys());
  for (const list of groups.values()) {
    // Stable: among equal ranks the feed's first entry stays first.
    const [kept, ...others] = [...list].sort((a, b) => a.rank - b.rank) as [Entry, ...Entry[]];
    out.quotes.push(kept.quote);
    if (others.length === 0) continue;
    // The best-named entry takes the model; every other name the feed quotes is a model of its own
    // (a dated or regional id, `mistral-large-latest`), so each name resolves to its own price.
    // Another spelling of the same id is dropped.
    const dropped: Entry[] = [];
    const split: Entry[] = [];
    taken.add(`${kept.quote.provider}\u0000${kept.original.toLowerCase()}`);
    for (const e of others) {
      const own = `${e.quote.provider}\u0000${e.original.toLowerCase()}`;
      if (e.rank > RANK.id && !taken.has(own)) {
        taken.add(own);
        split.push(e);
        out.quotes.push({ ...e.quote, model: e.original });
      } else dropped.push(e);
    }
    const keptPrices = pricesText(kept.quote);
    const conflicting = dropped.some((e) => pricesText(e.quote) !== keptPrices);
    out.duplicates.push(duplicate(kept, dropped, split, conflicting));
  }
  // Duplicates the source itself dropped (same provider and model under two keys) are reported too.
  for (const d of skipped) {
    if (d.duplicateOf === undefined) continue;
    const [provider = "", ...rest] = d.duplicateOf.split("/");
    out.duplicates.push({
      provider,
      model: rest.join("/"),
      kept: d.duplicateOf,
      dropped: [d.key],
      split: [],
      conflicting: d.conflicting === true,
    });
  }
  return out;
}

type Entry = { quote: PriceQuote; rank: number; spelled: string; original: string };

function duplicate(kept: Entry, dropped: Entry[], split: Entry[], conflicting: boolean): DuplicateQuote {
  return {
    provider: kept.quote.provider,
    model: kept.quote.model,
    kept: kept.spelled,
    dropped: dropped.map((e) => e.spelled),
    split: split.map((e) => e.spelled),
    conflicting,
  };
}

function pricesText(q: PriceQuote): string {
  return [...priceFields(q)]
    .map(([f, r]) => `${f}=${rateKey(r)}`)
    .sort()
    .join(";");
}
