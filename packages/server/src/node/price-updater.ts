import { randomIds, type Store, systemClock } from "@budget/core";
import {
  createPriceSource,
  createPriceUpdater,
  isRemotePriceSourceType,
  loadStoreCatalog,
  type PriceSource,
} from "@budget/prices";
import type { Logger } from "pino";
import type { PriceUpdaterPort } from "../app/deps.js";
import type { LiveCatalog } from "../catalog/live-catalog.js";
import type { ServerConfig } from "../config/config-schema.js";

/** The configured remote and file sources (bundled prices are seeded at start; manual ones come through the API). */
function sourcesOf(config: ServerConfig): PriceSource[] {
  const out: PriceSource[] = [];
  for (const s of config.prices.sources) {
    if (!s.enabled) continue;
    if (isRemotePriceSourceType(s.type)) out.push(createPriceSource({ type: s.type, url: s.url }));
    if (s.type === "file" && s.file) out.push(createPriceSource({ type: "file", path: s.file, id: s.id }));
  }
  return out;
}

/**
 * The price updater of `@budget/prices` behind the routes' port: after every applied change the
 * engine's catalog is rebuilt from the store, so new prices price the next request.
 */
export function createServerPriceUpdater(options: {
  config: ServerConfig;
  store: Store;
  catalog: LiveCatalog;
  logger: Logger;
}): PriceUpdaterPort & { stop(): void } {
  const { config, store, catalog, logger } = options;
  const updater = createPriceUpdater({
    store,
    sources: sourcesOf(config),
    providers: config.prices.providers,
    clock: systemClock,
    ids: randomIds,
  });
  const reload = async () =>
    catalog.swap((await loadStoreCatalog(store, { aliasRules: config.prices.aliasRules })).catalog);
  const stop = config.prices.updateSchedule
    ? updater.schedule(config.prices.updateSchedule, (report) => {
        logger.info(
          { applied: report.applied.length, quarantined: report.quarantined.length },
          "prices updated",
        );
        reload().catch((err: unknown) => logger.error({ err }, "catalog reload failed"));
      })
    : () => {};
  return {
    async update() {
      const report = await updater.runOnce();
      await reload();
      return report;
    },
    async approve(id) {
      const version = await updater.approve(id);
      await reload();
      return version;
    },
    reject: (id) => updater.reject(id),
    async decideMany(decision, filter) {
      const out = await updater.decideMany(decision, filter);
      if (decision === "approved" && out.ids.length > 0) await reload();
      return out;
    },
    stop,
  };
}
