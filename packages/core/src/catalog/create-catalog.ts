import type { ModelEntry, PriceVersion } from "../price/price.js";
import type { Catalog, PriceQuery } from "./catalog-port.js";
import { DEFAULT_PROVIDER_ALIASES, nameCandidates } from "./model-name.js";
import { buildNameIndex, type ModelKey, type NameIndex } from "./name-index.js";

/** Input of {@link createCatalog}. */
export interface CatalogInput {
  versions: readonly PriceVersion[];
  /** Aliases and prefixes per model; a version's own model id always resolves. */
  models?: readonly ModelEntry[];
  /** Extra provider spellings (`bedrock` → `aws`), merged over the defaults. */
  providerAliases?: Readonly<Record<string, string>>;
}

/** A {@link Catalog} that can be extended with more versions. */
export interface MemoryCatalog extends Catalog {
  /** A new catalog with these versions (and model entries) added; this one is unchanged. */
  withVersions(versions: readonly PriceVersion[], models?: readonly ModelEntry[]): MemoryCatalog;
  /** Every model entry known, in registration order. */
  models(): readonly ModelEntry[];
}

const RESOLVE_CACHE_LIMIT = 10_000;
/** Prefixes stripped even when the catalog has no prices of that provider (gateways, clouds). */
const KNOWN_PROVIDERS = new Set([
  ...Object.values(DEFAULT_PROVIDER_ALIASES),
  ...["openai", "anthropic", "azure", "openrouter", "litellm", "groq", "deepseek", "cohere", "together"],
]);

/**
 * Builds an in-memory catalog, pre-indexed for fast resolution. A (provider?, model) resolves by,
 * in order: the exact id or an alias, then the same after removing provider prefixes, Bedrock
 * region/vendor/version affixes, Vertex `@` dates, `-latest` and date suffixes; then the longest
 * registered prefix. Names compare case-insensitively. A named provider's models are preferred;
 * otherwise the first provider that registered the name wins. Among the versions of the model,
 * the one with `effectiveFrom ≤ at < effectiveTo` applies (the latest start when several do).
 *
 * @example createCatalog({ versions }).resolve({ provider: "bedrock", model: "us.anthropic.claude-3-5-sonnet-20241022-v2:0", at: Date.now() })
 */
export function createCatalog(input: CatalogInput): MemoryCatalog {
  const versions = [...input.versions];
  const models = [...(input.models ?? [])];
  const providerAliases = { ...DEFAULT_PROVIDER_ALIASES, ...input.providerAliases };
  const byId = new Map(versions.map((v) => [v.id, v]));
  const timelines = buildTimelines(versions);
  const index: NameIndex = buildNameIndex(versions, models);
  const cache = new Map<string, ModelKey | null>();

  const providerId = (segment: string): string | undefined => {
    const p = segment.toLowerCase();
    const id = providerAliases[p] ?? p;
    return index.providers.has(id) || KNOWN_PROVIDERS.has(id) ? id : undefined;
  };

  const findModel = (query: PriceQuery): ModelKey | null => {
    const provider = query.provider ? providerId(query.provider) : undefined;
    const candidates = nameCandidates(query.model, provider, providerId);
    // Within the named providers first (exact, then prefix), then anyone's.
    for (const anyone of [false, true]) {
      for (const c of candidates) {
        const hit = index.exact(c.name, anyone ? null : c.providers);
        if (hit) return hit;
      }
      for (const c of candidates) {
        const hit = anyone ? null : index.derived(c.name, c.providers);
        if (hit) return hit;
      }
      for (const c of candidates) {
        const hit = index.prefix(c.name, anyone ? null : c.providers);
        if (hit) return hit;
      }
    }
    return null;
  };

  const catalog: MemoryCatalog = {
    resolve(query) {
      const key = `${query.provider ?? ""}\u0000${query.model}`;
      let model = cache.get(key);
      if (model === undefined) {
        model = findModel(query);
        if (cache.size >= RESOLVE_CACHE_LIMIT) cache.clear();
        cache.set(key, model);
      }
      return model ? versionAt(timelines.get(model) ?? [], query.at) : null;
    },
    getVersion: (id) => byId.get(id) ?? null,
    versions: () => versions,
    models: () => models,
    withVersions: (more, moreModels = []) =>
      createCatalog({
        versions: [...versions, ...more],
        models: [...models, ...moreModels],
        providerAliases,
      }),
  };
  return catalog;
}

function buildTimelines(versions: readonly PriceVersion[]): Map<ModelKey, PriceVersion[]> {
  const timelines = new Map<ModelKey, PriceVersion[]>();
  for (const v of versions) {
    const key = `${v.provider.toLowerCase()}\u0000${v.model.toLowerCase()}` as ModelKey;
    const list = timelines.get(key);
    if (list) list.push(v);
    else timelines.set(key, [v]);
  }
  // Stable sort: among equal starts, the version added last stays last and wins.
  for (const list of timelines.values()) list.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
  return timelines;
}

/** The version in force at `at`: `effectiveFrom ≤ at < effectiveTo`, latest start first. */
export function versionAt(timeline: readonly PriceVersion[], at: number): PriceVersion | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const v = timeline[i]!;
    if (v.effectiveFrom <= at && (v.effectiveTo === null || at < v.effectiveTo)) return v;
  }
  return null;
}
