import { type Clock, randomIds, type Store } from "@budget/core";
import {
  canonicalizeQuotes,
  createPriceSource,
  createPriceUpdater,
  diffCatalog,
  identityCatalog,
  isRemotePriceSourceType,
  type PriceSource,
  REMOTE_PRICE_SOURCE_TYPES,
  type UpdateProgress,
} from "@budget/prices";
import { usageError } from "../exit-codes.js";
import type { PriceUpdateOutcome } from "./backend.js";

/**
 * A price source from a `--source` spec: `litellm`, `openrouter`, `genai-prices` (optionally
 * `=<url>`), or `file:<path>` (Budget's own JSON/YAML quote format).
 */
export function parseSourceSpec(spec: string): PriceSource {
  if (spec.startsWith("file:")) return createPriceSource({ type: "file", path: spec.slice(5) });
  const [name, url] = spec.split(/=(.*)/s, 2) as [string, string | undefined];
  if (!isRemotePriceSourceType(name)) {
    const names = REMOTE_PRICE_SOURCE_TYPES.join(", ");
    throw usageError(`--source ${spec}: use ${names} (optionally =<url>) or file:<path>`);
  }
  return createPriceSource({ type: name, url });
}

/** Options of {@link runLocalPriceUpdate}. */
export interface LocalPriceUpdateOptions {
  store: Store;
  clock: Clock;
  sources: PriceSource[];
  dryRun: boolean;
  onProgress?: (p: UpdateProgress) => void;
}

/**
 * Runs the price updater on a local database (fetch, validate, decide, apply or quarantine), or
 * with `dryRun` only fetches and diffs each source against the versions in force.
 */
export async function runLocalPriceUpdate(options: LocalPriceUpdateOptions): Promise<PriceUpdateOutcome> {
  const { store, clock, sources } = options;
  if (!options.dryRun) {
    const updater = createPriceUpdater({
      store,
      sources,
      clock,
      ids: randomIds,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { ...(await updater.runOnce()) };
  }
  const all = await store.listPriceVersions();
  const inForce = all.filter((v) => v.effectiveTo === null);
  const identity = identityCatalog(all);
  const results = await Promise.all(
    sources.map(async (source) => {
      try {
        const snapshot = await source.fetch();
        const d = diffCatalog(inForce, snapshot.quotes);
        // Only what the source quotes: models it does not list are not "removed" by another feed.
        const added = d.added.map((q) => `${q.provider}/${q.model}`);
        return { id: source.id, ok: true, quotes: snapshot.quotes.length, added, changed: d.changed };
      } catch (err) {
        return { id: source.id, ok: false, quotes: 0, error: (err as Error).message, added: [], changed: [] };
      }
    }),
  );
  return { dryRun: true, diff: results };
}
