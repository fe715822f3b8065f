import {
  type Decimal,
  formatDecimal,
  type ModelEntry,
  normalize,
  type PriceVersion,
  parseDecimal,
} from "@budget/core";
import type { MatchLogic, ModelInfo, ModelPrice, Provider } from "@pydantic/genai-prices";
import { compactCapabilities } from "./source-capabilities.js";

/** genai-prices token price keys → our token rates (USD per million tokens either way). */
const TOKEN_KEYS = {
  input_mtok: "input",
  output_mtok: "output",
  cache_read_mtok: "cacheRead",
  cache_write_mtok: "cacheWrite",
  cache_write_1h_mtok: "cacheWrite1h",
  output_reasoning_mtok: "reasoning",
  input_audio_mtok: "inputAudio",
  cache_audio_read_mtok: "cacheAudioRead",
  output_audio_mtok: "outputAudio",
  output_image_mtok: "imageOutput",
} as const satisfies Record<string, keyof PriceVersion["tokenRates"]>;

/** genai-prices per-thousand counts → our per-unit rates. */
const KCOUNT_KEYS = {
  requests_kcount: "request",
  web_searches_kcount: "webSearch",
} as const satisfies Record<string, keyof PriceVersion["unitRates"]>;

/** What a conversion left out, per model, so reports and the oracle can name it. */
export interface ConversionNote {
  provider: string;
  model: string;
  /** `unsupported_price_key`, `unrepresentable_match`. */
  kind: "unsupported_price_key" | "unrepresentable_match";
  detail: string;
}

/**
 * A model left out of the conversion altogether (no version, no model entry), so it resolves as
 * an unknown model instead of at $0 or under a garbled name.
 */
export interface ExcludedModel {
  provider: string;
  model: string;
  /**
   * `zero_price`: every price the data gives the model is empty or zero (subscriptions, free tiers);
   * `malformed_id`: the id is not a name a caller sends (empty, whitespace, or ending in a separator).
   */
  reason: "zero_price" | "malformed_id";
}

/** Versions, model entries, notes and exclusions converted from genai-prices provider data. */
export interface ConvertedPrices {
  versions: PriceVersion[];
  models: ModelEntry[];
  notes: ConversionNote[];
  excluded: ExcludedModel[];
}

/** An id that is empty, holds whitespace or ends in a separator (`ft:gpt-3.5-turbo-`). */
const MALFORMED_ID = /^$|\s|[-.:/_@~]$/;

/** True when no price of the model (any date, any time of day) is a non-zero number. */
function isZeroPriced(model: ModelInfo): boolean {
  const prices = Array.isArray(model.prices) ? model.prices.map((e) => e.prices) : [model.prices];
  return prices.every((p) =>
    Object.values(p).every((v) =>
      v === undefined || typeof v === "number" ? !v : v.base === 0 && v.tiers.every((t) => t.price === 0),
    ),
  );
}

/** Why a model is excluded from the conversion, or undefined when it is kept. */
export function exclusionReason(model: ModelInfo): ExcludedModel["reason"] | undefined {
  if (MALFORMED_ID.test(model.id)) return "malformed_id";
  if (isZeroPriced(model)) return "zero_price";
  return undefined;
}

/** `String(n)`: the shortest round-trip decimal, which is the decimal the data's author wrote. */
const decimal = (n: number): string => formatDecimal(parseDecimal(String(n)));

function perThousand(n: number): string {
  const d: Decimal = parseDecimal(String(n));
  return formatDecimal(normalize({ units: d.units, scale: d.scale + 3 }));
}

function convertRates(
  price: ModelPrice,
  unsupported: string[],
): Pick<PriceVersion, "tokenRates" | "unitRates"> {
  const tokenRates: PriceVersion["tokenRates"] = {};
  const unitRates: PriceVersion["unitRates"] = {};
  for (const [key, value] of Object.entries(price)) {
    if (value === undefined) continue;
    if (key in TOKEN_KEYS) {
      const ours = TOKEN_KEYS[key as keyof typeof TOKEN_KEYS];
      tokenRates[ours] =
        typeof value === "number"
          ? decimal(value)
          : {
              base: decimal(value.base),
              tiers: [...value.tiers]
                .sort((a, b) => a.start - b.start)
                .map((t) => ({ startTokens: t.start, price: decimal(t.price) })),
            };
    } else if (key in KCOUNT_KEYS && typeof value === "number") {
      unitRates[KCOUNT_KEYS[key as keyof typeof KCOUNT_KEYS]] = perThousand(value);
    } else {
      unsupported.push(key);
    }
  }
  // An empty price inside a priced model (a free time-of-day window) is free, not unpriced.
  if (Object.keys(price).length === 0) {
    tokenRates.input = "0";
    tokenRates.output = "0";
  }
  return { tokenRates, unitRates };
}

/** Names a match rule lists exactly (`equals`) and by prefix (`starts_with`); the rest is unrepresentable. */
export function matchNames(match: MatchLogic): { aliases: string[]; prefixes: string[]; other: string[] } {
  const out = { aliases: [] as string[], prefixes: [] as string[], other: [] as string[] };
  const visit = (m: MatchLogic) => {
    if ("or" in m) m.or.forEach(visit);
    else if ("equals" in m) out.aliases.push(m.equals.toLowerCase());
    else if ("starts_with" in m) out.prefixes.push(m.starts_with.toLowerCase());
    else out.other.push(JSON.stringify(m));
  };
  visit(match);
  return out;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type PriceEntry = Exclude<ModelInfo["prices"], ModelPrice>[number];
type TimeConstraint = { start_time: string; end_time: string };

/** One effective-dated step of a model: its default price and the time-of-day windows over it. */
interface PriceStep {
  from: number;
  price: ModelPrice;
  /** Highest priority first, as genai-prices checks them. */
  windows: { constraint: TimeConstraint; price: ModelPrice }[];
}

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * The steps of a model, one per start date. genai-prices picks a price by walking its list from
 * the end: a time-of-day entry applies inside its window, an unconstrained or started start-date
 * entry applies at any time and ends the walk. So for each start date, the windows are the
 * time-of-day entries after the last entry in force then, and the default is that entry.
 */
function priceSteps(model: ModelInfo): PriceStep[] {
  if (!Array.isArray(model.prices)) return [{ from: 0, price: model.prices, windows: [] }];
  const entries: PriceEntry[] = model.prices;
  const starts = new Set([0]);
  for (const e of entries)
    if (e.constraint?.type === "start_date") starts.add(dayOf(e.constraint.start_date));
  return [...starts]
    .sort((a, b) => a - b)
    .map((from) => {
      const windows: PriceStep["windows"] = [];
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]!;
        const c = e.constraint;
        if (c === undefined || (c.type === "start_date" && dayOf(c.start_date) <= from)) {
          return { from, price: e.prices, windows };
        }
        if (c.type === "time_of_date") windows.push({ constraint: c, price: e.prices });
      }
      return { from, price: entries[0]!.prices, windows };
    });
}

/** `00:30:00Z` → `00:30:00`. */
const utcTime = (t: string) => t.replace(/Z$/i, "");

/**
 * Converts genai-prices provider data to effective-dated versions and model entries. Start-date
 * prices become successive versions; time-of-day prices become each version's `schedule` (UTC
 * windows); match rules become aliases (`equals`) and prefixes (`starts_with`), other rules are noted.
 * Models priced at $0 throughout and models with malformed ids are excluded and listed in `excluded`.
 */
export function convertGenaiProviders(providers: readonly Provider[], source = "bundled"): ConvertedPrices {
  const out: ConvertedPrices = { versions: [], models: [], notes: [], excluded: [] };
  // Providers that claim model names (first-party APIs) register names first, so they win ties.
  const ordered = [...providers.filter((p) => p.model_match), ...providers.filter((p) => !p.model_match)];
  for (const provider of ordered) {
    for (const model of provider.models) {
      const reason = exclusionReason(model);
      if (reason) out.excluded.push({ provider: provider.id, model: model.id, reason });
      else convertModel(provider.id, model, source, out);
    }
  }
  return out;
}

function convertModel(provider: string, model: ModelInfo, source: string, out: ConvertedPrices): void {
  const note = (kind: ConversionNote["kind"], detail: string) =>
    out.notes.push({ provider, model: model.id, kind, detail });
  const steps = priceSteps(model);
  const unsupported = new Set<string>();
  steps.forEach((step, i) => {
    const skipped: string[] = [];
    const rates = convertRates(step.price, skipped);
    const version: PriceVersion = {
      id: `${source}:${provider}:${model.id}:${isoDay(step.from)}`,
      provider,
      model: model.id,
      ...rates,
      effectiveFrom: step.from,
      effectiveTo: steps[i + 1]?.from ?? null,
      source,
    };
    const capabilities = compactCapabilities({
      contextWindow: model.context_window,
      // genai-prices publishes a cache-read price for models with prompt caching, nothing otherwise.
      promptCaching: step.price.cache_read_mtok !== undefined ? true : undefined,
    });
    if (capabilities) version.capabilities = capabilities;
    if (step.windows.length > 0) {
      version.schedule = step.windows.map((w) => ({
        startUtc: utcTime(w.constraint.start_time),
        endUtc: utcTime(w.constraint.end_time),
        ...convertRates(w.price, skipped),
      }));
    }
    for (const k of skipped) unsupported.add(k);
    out.versions.push(version);
  });
  if (unsupported.size) note("unsupported_price_key", [...unsupported].sort().join(", "));
  const names = matchNames(model.match);
  if (names.other.length) note("unrepresentable_match", names.other.join(" | "));
  const entry: ModelEntry = {
    provider,
    model: model.id,
    aliases: names.aliases.filter((a) => a !== model.id.toLowerCase()),
    prefixes: names.prefixes,
  };
  if (model.name !== undefined) entry.name = model.name;
  if (model.context_window !== undefined) entry.contextWindow = model.context_window;
  out.models.push(entry);
}
