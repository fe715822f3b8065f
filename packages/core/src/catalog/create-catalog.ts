import type { ModelEntry, PriceVersion } from "../price/price.js";
import { type AliasRule, aliasRuleMatches } from "./alias-rules.js";
import type { Catalog, PriceQuery } from "./catalog-port.js";
import { DEFAULT_PROVIDER_ALIASES, type NameCandidate, nameCandidates, providerIdOf } from "./model-name.js";
import { buildNameIndex, type IndexHit, type ModelKey, type NameIndex } from "./name-index.js";
import { type Resolution, reasonOf } from "./resolution.js";

/** Input of {@link createCatalog}. */
export interface CatalogInput {
  versions: readonly PriceVersion[];
  /** Aliases and prefixes per model; a version's own model id always resolves. */
  models?: readonly ModelEntry[];
  /** Extra provider spellings (`bedrock` → `aws`), merged over the defaults. */
  providerAliases?: Readonly<Record<string, string>>;
  /** Explicit alias rules, tried in order when a name does not resolve by itself. */
  aliasRules?: readonly AliasRule[];
}

/** A {@link Catalog} that can be extended with more versions. */
export interface MemoryCatalog extends Catalog {
  /** A new catalog with these versions (and model entries) added; this one is unchanged. */
  withVersions(versions: readonly PriceVersion[], models?: readonly ModelEntry[]): MemoryCatalog;
  /** Every model entry known, in registration order. */
  models(): readonly ModelEntry[];
  /**
   * The model of exactly `provider` (a canonical id) that `model` names: its id or a declared
   * alias, as given or after dated-id and Bedrock/Vertex rewrites; never a shortened id, a
   * prefix, a provider prefix or an alias rule (so a mapping stays stable as models are added).
   * Price sources use it to store a quote under the model that costs resolve to.
   */
  identify(
    provider: string,
    model: string,
  ): { provider: string; model: string; rule: IndexHit["via"] } | null;
}

const RESOLVE_CACHE_LIMIT = 10_000;
/** Prefixes stripped even when the catalog has no prices of that provider (gateways, clouds). */
const KNOWN_PROVIDERS = new Set([
  ...Object.values(DEFAULT_PROVIDER_ALIASES),
  ...["openai", "anthropic", "azure", "openrouter", "litellm", "groq", "deepseek", "cohere", "together"],
]);

/** The name-resolution part of a {@link Resolution}, cached per (provider, model). */
type Found = Omit<Resolution, "at" | "version" | "reason"> & { key: ModelKey | null };

/**
 * Builds an in-memory catalog, pre-indexed for fast resolution. Resolution is strict: a
 * (provider?, model) resolves only to a model of the provider it names (the query's provider, or
 * one a known `provider/` prefix names) through, in order: its exact id or a declared alias, then
 * the same after removing known provider prefixes, Bedrock region/vendor/version affixes, Vertex
 * `@` dates and date suffixes; then a provider's shortened ids; then the longest declared prefix.
 * A name without any provider resolves among everyone's ids, aliases and prefixes (the first
 * provider that registered it). `-latest` names and cross-provider prices resolve only through
 * declared aliases or `aliasRules`; anything else is unknown. Names compare case-insensitively.
 * Among the versions of the model, the one with `effectiveFrom ≤ at < effectiveTo` applies.
 *
 * @example createCatalog({ versions }).resolve({ provider: "bedrock", model: "us.anthropic.claude-3-5-sonnet-20241022-v2:0", at: Date.now() })
 */
export function createCatalog(input: CatalogInput): MemoryCatalog {
  const versions = [...input.versions];
  const models = [...(input.models ?? [])];
  const providerAliases = { ...DEFAULT_PROVIDER_ALIASES, ...input.providerAliases };
  const rules = [...(input.aliasRules ?? [])];
  const byId = new Map(versions.map((v) => [v.id, v]));
  const timelines = buildTimelines(versions);
  const index: NameIndex = buildNameIndex(versions, models);
  const cache = new Map<string, Found>();

  const spelled = (p: string) => providerIdOf(p, providerAliases);
  const providerId = (segment: string): string | undefined => {
    const id = spelled(segment);
    return index.providers.has(id) || KNOWN_PROVIDERS.has(id) ? id : undefined;
  };

  const strict = (provider: string | undefined, model: string): Found => {
    const candidates = nameCandidates(model, provider, providerId);
    const hit = lookup(index, candidates);
    const base = { provider: provider ?? null, model, rule: null, matched: null, steps: [] };
    if (!hit) return { ...base, found: null, key: null };
    return {
      ...base,
      found: modelOf(hit.hit.key, timelines),
      key: hit.hit.key,
      rule: hit.hit.via,
      matched: hit.hit.entry,
      steps: [...hit.candidate.steps],
    };
  };

  const viaRules = (provider: string | undefined, model: string): Found | null => {
    const bare = nameCandidates(model, provider, providerId).filter((c) =>
      c.steps.every((s) => s === "as_given" || s === "provider_prefix"),
    );
    for (const rule of rules) {
      if (rule.provider && !bare.some((c) => c.providers.includes(spelled(rule.provider!)))) continue;
      const name = bare.find((c) => aliasRuleMatches(rule.model, c.name));
      if (!name) continue;
      const target = strict(spelled(rule.to.provider), rule.to.model ?? name.name);
      if (!target.key) continue;
      return {
        ...target,
        provider: provider ?? null,
        model,
        rule: "alias_rule",
        matched: rule.model,
        aliasRule: rule,
      };
    }
    return null;
  };

  const find = (query: PriceQuery): Found => {
    const key = `${query.provider ?? ""}\u0000${query.model}`;
    let found = cache.get(key);
    if (found === undefined) {
      const provider = query.provider ? spelled(query.provider) : undefined;
      const own = strict(provider, query.model);
      found = own.key ? own : (viaRules(provider, query.model) ?? own);
      if (cache.size >= RESOLVE_CACHE_LIMIT) cache.clear();
      cache.set(key, found);
    }
    return found;
  };

  const catalog: MemoryCatalog = {
    resolve(query) {
      const found = find(query);
      return found.key ? versionAt(timelines.get(found.key) ?? [], query.at) : null;
    },
    explain(query) {
      const { key, ...found } = find(query);
      const version = key ? versionAt(timelines.get(key) ?? [], query.at) : null;
      const r = { ...found, at: query.at, version };
      return { ...r, reason: reasonOf(r) };
    },
    identify(provider, model) {
      const hit = lookup(
        index,
        nameCandidates(model, provider.toLowerCase(), () => undefined),
        1,
      );
      return hit ? { ...modelOf(hit.hit.key, timelines), rule: hit.hit.via } : null;
    },
    getVersion: (id) => byId.get(id) ?? null,
    versions: () => versions,
    models: () => models,
    withVersions: (more, moreModels = []) =>
      createCatalog({
        versions: [...versions, ...more],
        models: [...models, ...moreModels],
        providerAliases,
        aliasRules: rules,
      }),
  };
  return catalog;
}

/**
 * The first hit over the candidates: exact ids and aliases first, then shortened ids, then
 * prefixes; among the providers a candidate names (most specific first), or anyone's when it
 * names none.
 */
function lookup(
  index: NameIndex,
  candidates: readonly NameCandidate[],
  phaseCount = 3,
): { hit: IndexHit; candidate: NameCandidate } | null {
  const phases: ((c: NameCandidate) => IndexHit | null)[] = [
    (c) => index.exact(c.name, c.providers.length ? c.providers : null),
    (c) => (c.providers.length ? index.derived(c.name, c.providers) : null),
    (c) => index.prefix(c.name, c.providers.length ? c.providers : null),
  ];
  for (const phase of phases.slice(0, phaseCount)) {
    for (const candidate of candidates) {
      const hit = phase(candidate);
      if (hit) return { hit, candidate };
    }
  }
  return null;
}

/** The model's own spelling (from its versions), else the lowercased key. */
function modelOf(
  key: ModelKey,
  timelines: Map<ModelKey, PriceVersion[]>,
): { provider: string; model: string } {
  const v = timelines.get(key)?.[0];
  if (v) return { provider: v.provider, model: v.model };
  const [provider = "", model = ""] = key.split("\u0000");
  return { provider, model };
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
