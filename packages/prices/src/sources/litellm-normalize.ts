import type { Rate, TokenRates, UnitRates } from "@budget/core";
import { z } from "zod";
import { signatureOf } from "../updater/pending-signature.js";
import { divideExact, perTokenToPerMillion, perUnit } from "./per-million.js";
import { type PriceQuote, PriceSourceError, type SkippedEntry } from "./price-source.js";
import { litellmCapabilities } from "./source-capabilities.js";

type TokenField = keyof TokenRates;

/** LiteLLM per-token fields and the token rate each becomes. */
const TOKEN_FIELDS: Record<string, TokenField> = {
  input_cost_per_token: "input",
  output_cost_per_token: "output",
  cache_read_input_token_cost: "cacheRead",
  cache_creation_input_token_cost: "cacheWrite",
  cache_creation_input_token_cost_above_1hr: "cacheWrite1h",
  output_cost_per_reasoning_token: "reasoning",
  input_cost_per_audio_token: "inputAudio",
  cache_read_input_audio_token_cost: "cacheAudioRead",
  output_cost_per_audio_token: "outputAudio",
  output_cost_per_image_token: "imageOutput",
};

/** LiteLLM per-unit fields and the unit rate each becomes. */
const UNIT_FIELDS: Record<string, keyof UnitRates> = {
  input_cost_per_request: "request",
  input_cost_per_image: "inputImage",
  output_cost_per_image: "outputImage",
};

/** `<token field>_above_<N>k_tokens`: the long-context price of a token field. */
const TIER_FIELD_RE = /^(.+)_above_(\d+)k_tokens$/;

const feedSchema = z.record(z.string(), z.unknown());
const entrySchema = z.looseObject({ litellm_provider: z.string().min(1) });

/** The result of normalizing a LiteLLM feed. */
export interface LitellmNormalized {
  quotes: PriceQuote[];
  skipped: SkippedEntry[];
}

/**
 * Normalizes LiteLLM's `model_prices_and_context_window.json` exactly. Provider is
 * `litellm_provider`; the model is the key without a leading `<provider>/` (the prefixed key stays
 * an alias); a later key naming the same (provider, model) becomes an alias of the first and is
 * skipped as a duplicate, marked `conflicting` when its prices differ.
 * Entries without a token price (image-only, per-second, metadata) are skipped, not failures.
 * A price that is not a finite non-negative number fails the whole feed.
 */
export function normalizeLitellm(sourceId: string, raw: unknown): LitellmNormalized {
  const feed = feedSchema.safeParse(raw);
  if (!feed.success) throw new PriceSourceError(sourceId, "invalid_feed", "feed is not a JSON object");
  const quotes: PriceQuote[] = [];
  const skipped: SkippedEntry[] = [];
  const byId = new Map<string, PriceQuote>();
  for (const [key, value] of Object.entries(feed.data)) {
    if (key === "sample_spec") continue;
    const entry = entrySchema.safeParse(value);
    if (!entry.success) {
      skipped.push({ key, reason: "not a model entry" });
      continue;
    }
    const provider = entry.data.litellm_provider;
    const quote = entryToQuote(sourceId, key, provider, entry.data);
    if (!quote) {
      skipped.push({ key, reason: "no token price" });
      continue;
    }
    const id = `${provider}\u0000${quote.model}`;
    const first = byId.get(id);
    if (first) {
      first.aliases = [...(first.aliases ?? []), key];
      const conflicting =
        signatureOf(provider, quote.model, first) !== signatureOf(provider, quote.model, quote);
      const duplicateOf = `${provider}/${first.model}`;
      const reason = `duplicate of ${duplicateOf}${conflicting ? " with other prices" : ""}`;
      skipped.push({ key, reason, duplicateOf, conflicting });
      continue;
    }
    byId.set(id, quote);
    quotes.push(quote);
  }
  return { quotes, skipped };
}

function entryToQuote(
  sourceId: string,
  key: string,
  provider: string,
  entry: Record<string, unknown>,
): PriceQuote | null {
  const price = (field: string, value: unknown, unit = false): string => {
    const out = typeof value === "number" ? (unit ? perUnit(value) : perTokenToPerMillion(value)) : null;
    if (out === null) {
      throw new PriceSourceError(sourceId, "invalid_feed", `${key}.${field}: not a valid price`, {
        key,
        field,
        value: String(value),
      });
    }
    return out;
  };
  const tokenRates = tokenRatesOf(entry, price);
  if (Object.keys(tokenRates).length === 0) return null;
  const unitRates: UnitRates = {};
  for (const [field, target] of Object.entries(UNIT_FIELDS)) {
    if (entry[field] !== undefined) unitRates[target] = price(field, entry[field], true);
  }
  const search = entry.search_context_cost_per_query;
  if (search && typeof search === "object" && "search_context_size_medium" in search) {
    // LiteLLM bills web search at the medium context size unless told otherwise.
    unitRates.webSearch = price("search_context_cost_per_query", search.search_context_size_medium, true);
  }
  const prefix = `${provider}/`;
  const model = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const quote: PriceQuote = { provider, model, tokenRates, unitRates };
  const batch = batchMultiplierOf(entry, price);
  if (batch) quote.batchMultiplier = batch;
  if (model !== key) quote.aliases = [key];
  const capabilities = litellmCapabilities(entry);
  if (capabilities) quote.capabilities = capabilities;
  return quote;
}

type PriceFn = (field: string, value: unknown) => string;

function tokenRatesOf(entry: Record<string, unknown>, price: PriceFn): TokenRates {
  const base: Partial<Record<TokenField, string>> = {};
  const tiers: Partial<Record<TokenField, { startTokens: number; price: string }[]>> = {};
  const addTier = (target: TokenField, startTokens: number, p: string) => {
    const list = tiers[target] ?? [];
    list.push({ startTokens, price: p });
    tiers[target] = list;
  };
  for (const [field, value] of Object.entries(entry)) {
    const target = TOKEN_FIELDS[field];
    if (target) {
      base[target] = price(field, value);
      continue;
    }
    const m = TIER_FIELD_RE.exec(field);
    const tierTarget = m ? TOKEN_FIELDS[m[1] ?? ""] : undefined;
    if (m && tierTarget) addTier(tierTarget, Number(m[2]) * 1000, price(field, value));
  }
  if (Array.isArray(entry.tiered_pricing)) {
    for (const [i, tier] of entry.tiered_pricing.entries()) {
      const fields = Object.entries(tier as Record<string, unknown>).filter(([f]) => TOKEN_FIELDS[f]);
      // Tiers by result count (search tools) carry no token price: nothing to map.
      if (fields.length === 0) continue;
      const range = (tier as { range?: unknown }).range;
      const start = Array.isArray(range) && typeof range[0] === "number" ? range[0] : Number.NaN;
      if (!Number.isInteger(start) || start < 0) price(`tiered_pricing.${i}.range`, "missing");
      for (const [field, value] of fields) {
        const target = TOKEN_FIELDS[field] as TokenField;
        const p = price(`tiered_pricing.${i}.${field}`, value);
        if (start === 0) base[target] ??= p;
        else addTier(target, start, p);
      }
    }
  }
  const rates: TokenRates = {};
  for (const [target, b] of Object.entries(base) as [TokenField, string][]) {
    const t = tiers[target]?.sort((x, y) => x.startTokens - y.startTokens);
    const rate: Rate = t?.length ? { base: b, tiers: t } : b;
    rates[target] = rate;
  }
  return rates;
}

/** The batch discount, when batch input and output prices are the same exact fraction of the base. */
function batchMultiplierOf(entry: Record<string, unknown>, price: PriceFn): string | null {
  const { input_cost_per_token: i, output_cost_per_token: o } = entry;
  const { input_cost_per_token_batches: bi, output_cost_per_token_batches: bo } = entry;
  if (i === undefined || o === undefined || bi === undefined || bo === undefined) return null;
  const ratioIn = divideExact(price("input_cost_per_token_batches", bi), price("input_cost_per_token", i));
  const ratioOut = divideExact(price("output_cost_per_token_batches", bo), price("output_cost_per_token", o));
  return ratioIn !== null && ratioIn === ratioOut ? ratioIn : null;
}
