import { type BudgetEngine, createBudgetEngine, type Store } from "@budget/core";
import { loadStoreCatalog } from "@budget/prices";
import type { Logger } from "pino";
import { type BudgetApp, createBudgetApp } from "./app/create-app.js";
import { startAssistant } from "./assistant/start-assistant.js";
import { createAuth } from "./auth/auth.js";
import { createLiveCatalog, type LiveCatalog } from "./catalog/live-catalog.js";
import { amountBoundsOf, fallbackRates, type ServerConfig } from "./config/config-schema.js";
import { loadSettings } from "./config/settings.js";
import { describeTarget, type StoreTarget, storeTargetOf } from "./config/store-target.js";
import { createEventHub } from "./events/event-hub.js";
import { createLogger as createLoggerWithRedaction } from "./logging/create-logger.js";
import { createMetrics } from "./metrics/metrics.js";
import { listen } from "./node/listen.js";
import { openStore } from "./node/open-store.js";
import { createServerPriceUpdater } from "./node/price-updater.js";
import { connectEngineToWebhooks, tapStoredAlerts } from "./webhooks/alert-sources.js";
import { createWebhookDispatcher, type WebhookDispatcher } from "./webhooks/webhook-dispatcher.js";
import { alertToWebhookEvent } from "./webhooks/webhook-event.js";
import { createWebhookMetrics } from "./webhooks/webhook-metrics.js";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /**
   * A validated config; otherwise `configFile` (JSON or YAML, else `BUDGET_CONFIG`) is loaded with
   * environment overrides, as {@link loadSettings} resolves it for every Budget process.
   */
  config?: ServerConfig;
  configFile?: string | undefined;
  logger?: Logger;
  /** Stop gracefully on SIGTERM and SIGINT, then exit (default false: the caller decides). */
  handleSignals?: boolean;
  /** Where upstream keys named by the gateway's `apiKeyEnv` are read (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  /** The admin key generated on first start (print it once), or null. */
  adminKey: string | null;
  config: ServerConfig;
  /** The store opened, and {@link describeTarget}'s line for it (`SQLite /abs/data/budget.db`, …). */
  storeTarget: StoreTarget;
  storeDescription: string;
  engine: BudgetEngine;
  store: Store;
  catalog: LiveCatalog;
  app: BudgetApp;
  /** Delivers alerts (and the events a webhook asks for) to `config.webhooks`. */
  webhooks: WebhookDispatcher;
  /** Stops accepting, ends event streams, lets in-flight requests finish, closes the store. */
  close(): Promise<void>;
}

/** Pino with secrets redacted (see {@link createLoggerWithRedaction}). */
export const createLogger = createLoggerWithRedaction;

/**
 * Composes and starts the service: config → store (SQLite by default) → catalog seeded with the
 * bundled prices → engine → budgets from config → API keys (admin bootstrap) → HTTP on Node,
 * with reservation expiry sweeps and graceful shutdown.
 *
 * @example const s = await startServer({ configFile: "budget.yaml", handleSignals: true });
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadSettings({ config: options.configFile }).config;
  const logger = options.logger ?? createLogger(config.logging.level);
  const storeTarget = storeTargetOf(config);
  const storeDescription = describeTarget(storeTarget);
  const store = await openStore(storeTarget);
  logger.info({ store: storeTarget.kind, where: storeDescription }, `opened ${storeDescription}`);
  try {
    const { catalog: initial, seeded } = await loadStoreCatalog(store, {
      aliasRules: config.prices.aliasRules,
    });
    if (seeded) logger.info({ versions: seeded }, "seeded the price catalog with the bundled prices");
    const catalog = createLiveCatalog(initial);
    const rates = fallbackRates(config);
    const engine = createBudgetEngine({
      store,
      catalog,
      defaultTtlMs: config.reservations.defaultTtlMs,
      amountBounds: amountBoundsOf(config),
      unknownModel: rates ? { mode: "fallback_price", tokenRates: rates } : { mode: "deny" },
    });
    for (const b of config.budgets) await engine.upsertBudget(b);

    // Keys revoked by another instance sharing the database stop working here at once.
    const auth = createAuth(store, { watch: true });
    await auth.watching;
    const boot = await auth.bootstrapAdmin(config.auth.adminKey);
    for (const k of config.auth.keys) {
      const existing = await store.listApiKeys();
      if (!existing.some((e) => e.name === k.name)) await auth.createKey({ ...k, secret: k.key });
    }

    const hub = createEventHub();
    const metrics = createMetrics();
    const webhooks = createWebhookDispatcher({
      webhooks: config.webhooks,
      logger: logger.child({ component: "webhooks" }),
      onOutcome: createWebhookMetrics(metrics.registry),
      outbox: store,
    });
    const unsubscribeWebhooks = connectEngineToWebhooks(engine, webhooks);
    // The updater stores price changes, conflicts and source failures itself: tap them for subscribers.
    const alertTap = tapStoredAlerts(store, (alert) => {
      hub.publish("alert", alert);
      webhooks.enqueue(alertToWebhookEvent(alert));
    });
    const updater = createServerPriceUpdater({ config, store: alertTap, catalog, logger });
    const assistant = await startAssistant(engine, config.assistant, options.env ?? process.env);
    const app = createBudgetApp({
      engine,
      updater,
      assistant,
      store,
      hub,
      metrics,
      catalog,
      keys: auth,
      logger,
      bodyLimitBytes: config.server.bodyLimitBytes,
      publicMetrics: config.auth.publicMetrics,
      gateway: config.gateway.enabled
        ? { config: config.gateway, env: options.env ?? process.env }
        : undefined,
    });
    const server = await listen(app.fetch, { host: config.server.host, port: config.server.port }).catch(
      async (err: unknown) => {
        // Nothing is serving yet: stop what was started so the process can exit with the error.
        updater.stop();
        app.close();
        unsubscribeWebhooks();
        await webhooks.stop({ deadlineMs: 0 });
        throw err;
      },
    );
    const sweep = setInterval(() => {
      engine.sweepExpired().catch((err: unknown) => logger.warn({ err }, "reservation sweep failed"));
    }, config.reservations.sweepIntervalMs);
    sweep.unref();
    const retention = startRetention(store, config.database.eventRetentionDays, engine.clock, logger);

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        clearInterval(sweep);
        clearInterval(retention);
        updater.stop();
        app.close();
        const timeout = new Promise<void>((r) => setTimeout(r, config.server.shutdownTimeoutMs).unref());
        await Promise.race([server.close(), timeout]);
        unsubscribeWebhooks();
        await webhooks.stop({ deadlineMs: Math.min(5000, config.server.shutdownTimeoutMs) });
        await auth.close();
        await store.close();
        logger.info("stopped");
      })();
      return closing;
    };
    if (options.handleSignals) {
      const onSignal = (signal: string) => {
        logger.info({ signal }, "shutting down: finishing in-flight requests");
        close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, "shutdown failed");
            process.exit(1);
          },
        );
      };
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    }
    logger.info({ url: server.url }, "listening");
    return {
      url: server.url,
      port: server.port,
      adminKey: boot.key,
      config,
      storeTarget,
      storeDescription,
      engine,
      store,
      catalog,
      app,
      webhooks,
      close,
    };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}

/**
 * Deletes raw events past the retention period every hour (and once at start); rollups stay, so
 * reports keep their history. No-op without a retention setting.
 */
function startRetention(
  store: Store,
  days: number | undefined,
  clock: { now(): number },
  logger: { info(o: object, m: string): void; warn(o: object, m: string): void },
): ReturnType<typeof setInterval> | undefined {
  const prunable = store as Store & { pruneEvents?: (before: number) => Promise<number> };
  if (days === undefined || !prunable.pruneEvents) return undefined;
  const prune = () =>
    prunable
      .pruneEvents?.(clock.now() - days * 86_400_000)
      .then((removed) => removed > 0 && logger.info({ removed, days }, "pruned usage events past retention"))
      .catch((err: unknown) => logger.warn({ err }, "event retention failed"));
  void prune();
  const timer = setInterval(prune, 3_600_000);
  timer.unref();
  return timer;
}
