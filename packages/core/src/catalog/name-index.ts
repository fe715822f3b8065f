import type { ModelEntry, PriceVersion } from "../price/price.js";
import { nameCandidates } from "./model-name.js";

/** `provider \0 model`, both lowercased: the identity of a priced model. */
export type ModelKey = string & { readonly __modelKey: unique symbol };

/** How an index entry names its model. */
export type IndexVia = "id" | "alias" | "prefix" | "shortened_id";

/** A model found in the index, and through which kind of entry. */
export interface IndexHit {
  key: ModelKey;
  via: IndexVia;
  /** The registered name or prefix that matched. */
  entry: string;
}

/** Names and prefixes → models, globally and per provider. */
export interface NameIndex {
  providers: ReadonlySet<string>;
  /** The model listed under `name` (id or alias) by one of `providers` (last named first), or by anyone when null. */
  exact(name: string, providers: readonly string[] | null): IndexHit | null;
  /** The model of `providers` whose id, shortened like a query (`regional.anthropic.x-v1:0` → `x`), is `name`. */
  derived(name: string, providers: readonly string[]): IndexHit | null;
  /** The model with the longest registered prefix of `name`, among `providers` or anyone's when null. */
  prefix(name: string, providers: readonly string[] | null): IndexHit | null;
}

interface Table {
  global: Map<string, IndexHit>;
  byProvider: Map<string, Map<string, IndexHit>>;
}

function table(): Table {
  return { global: new Map(), byProvider: new Map() };
}

/** Registers `name` globally and/or in its provider's own table; the first registration wins. */
function put(t: Table, provider: string, name: string, key: ModelKey, via: IndexVia, where = BOTH): void {
  const n = name.trim().toLowerCase();
  if (!n) return;
  const hit: IndexHit = { key, via, entry: n };
  // First registration wins, so a source's order decides ties between providers.
  const first = t.global.get(n);
  // An id replaces its own provider's alias of the same name (see buildNameIndex).
  const replaces = first?.via === "alias" && via === "id" && first.key.startsWith(`${provider}\u0000`);
  if (where.global && (!first || replaces)) t.global.set(n, hit);
  if (!where.own) return;
  let own = t.byProvider.get(provider);
  if (!own) {
    own = new Map();
    t.byProvider.set(provider, own);
  }
  if (!own.has(n)) own.set(n, hit);
}

const BOTH = { global: true, own: true };
const GLOBAL = { global: true, own: false };
const OWN = { global: false, own: true };

function keyOf(provider: string, model: string): ModelKey {
  return `${provider}\u0000${model.toLowerCase()}` as ModelKey;
}

/** Indexes every version's model id, and each entry's aliases and prefixes. */
export function buildNameIndex(versions: readonly PriceVersion[], models: readonly ModelEntry[]): NameIndex {
  const names = table();
  const prefixes = table();
  const derived = table();
  const providers = new Set<string>();
  // Globally, names keep registration order (first-party providers first). Within a provider,
  // a model's own id beats another model's alias: a feed's `mistral-large-latest` priced as its own
  // model is not hidden by the bundled data declaring that name an alias of an older one.
  for (const m of models) {
    const provider = m.provider.toLowerCase();
    providers.add(provider);
    const key = keyOf(provider, m.model);
    put(names, provider, m.model, key, "id");
    for (const alias of m.aliases) put(names, provider, alias, key, "alias", GLOBAL);
    for (const p of m.prefixes ?? []) put(prefixes, provider, p, key, "prefix");
  }
  for (const v of versions) {
    const provider = v.provider.toLowerCase();
    providers.add(provider);
    put(names, provider, v.model, keyOf(provider, v.model), "id");
    // Shortened ids let `us.anthropic.claude-…-v2:0` find a provider's `regional.anthropic.claude-…`.
    for (const c of nameCandidates(v.model, undefined, () => undefined).slice(1)) {
      put(derived, provider, c.name, keyOf(provider, v.model), "shortened_id");
    }
  }
  for (const m of models) {
    const key = keyOf(m.provider.toLowerCase(), m.model);
    for (const alias of m.aliases) put(names, m.provider.toLowerCase(), alias, key, "alias", OWN);
  }
  const lookup = (
    t: Table,
    providerList: readonly string[] | null,
    find: (m: Map<string, IndexHit>) => IndexHit | null,
  ) => {
    if (providerList === null) return find(t.global);
    for (let i = providerList.length - 1; i >= 0; i--) {
      const own = t.byProvider.get(providerList[i]!);
      const hit = own ? find(own) : null;
      if (hit) return hit;
    }
    return null;
  };
  const longestPrefix = (name: string) => (m: Map<string, IndexHit>) => {
    for (let end = name.length; end > 0; end--) {
      const hit = m.get(name.slice(0, end));
      if (hit) return hit;
    }
    return null;
  };
  return {
    providers,
    exact: (name, list) => lookup(names, list, (m) => m.get(name) ?? null),
    derived: (name, list) => lookup(derived, list, (m) => m.get(name) ?? null),
    prefix: (name, list) => lookup(prefixes, list, longestPrefix(name)),
  };
}
