import type { ApiKeyStore, BudgetEngine, Catalog, Store } from "@budget/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import pino, { type Logger } from "pino";
import type { Assistant } from "../assistant/create-assistant.js";
import { type Auth, createAuth } from "../auth/auth.js";
import { createEventHub, type EventHub } from "../events/event-hub.js";
import { type GatewayOptions, mountGateway } from "../gateway/mount-gateway.js";
import { serveDashboard } from "../http/dashboard-static.js";
import { createMetrics, type Metrics } from "../metrics/metrics.js";
import { alertRoutes } from "../routes/alerts.js";
import { assistantRoutes } from "../routes/assistant.js";
import { batchRoutes } from "../routes/batch.js";
import { budgetRoutes } from "../routes/budgets.js";
import { eventRoutes } from "../routes/events.js";
import { keyRoutes } from "../routes/keys.js";
import { maintenanceRoutes } from "../routes/maintenance.js";
import { priceRoutes } from "../routes/prices.js";
import { recommendationRoutes } from "../routes/recommendations.js";
import { reservationRoutes } from "../routes/reservations.js";
import { runRoutes } from "../routes/runs.js";
import { systemRoutes } from "../routes/system.js";
import { usageRoutes } from "../routes/usage.js";
import type { PriceUpdaterPort, RouteDeps } from "./deps.js";
import { errorToProblem, problemResponse } from "./problem.js";
import { requestIdOf, withRequestId } from "./request-id.js";
import { mountRoutes, type RouteDef } from "./route-table.js";

/** Dependencies of {@link createBudgetApp}. */
export interface BudgetAppOptions {
  engine: BudgetEngine;
  /** Default: the engine's store. */
  store?: Store;
  /** Default: the engine's catalog. */
  catalog?: Catalog;
  /** API keys: a key store (wrapped in {@link createAuth}) or a ready {@link Auth}. */
  keys: ApiKeyStore | Auth;
  logger?: Logger;
  metrics?: Metrics;
  hub?: EventHub;
  updater?: PriceUpdaterPort | null;
  /** The optional assistant behind `POST /v1/assistant` (absent: not mounted). */
  assistant?: Assistant | null;
  /** Request bodies above this are refused with 413 (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Serve `/metrics` without a key (default false). */
  publicMetrics?: boolean;
  /** Readiness check (default: the store lists budgets). */
  ready?: () => Promise<boolean>;
  sseHeartbeatMs?: number;
  /** The OpenAI/Anthropic-compatible gateway at `/gateway/<upstream>/v1/…` (absent: not mounted). */
  gateway?: GatewayOptions | undefined;
}

/** The app and what it is made of. */
export interface BudgetApp {
  /** The fetch handler: give it to any server (`@hono/node-server`, Bun, Deno). */
  fetch: (request: Request) => Response | Promise<Response>;
  app: OpenAPIHono;
  routes: readonly RouteDef[];
  hub: EventHub;
  metrics: Metrics;
  auth: Auth;
  /** Stops the engine subscription and ends SSE streams. */
  close(): void;
}

const isAuth = (k: ApiKeyStore | Auth): k is Auth => "authenticate" in k;

/**
 * Creates the HTTP API over an engine: budgets and limits, reservations, usage, reports,
 * prices, alerts, keys, runs, SSE events, health and metrics, with its OpenAPI document.
 *
 * @example
 * const { fetch } = createBudgetApp({ engine, keys: createMemoryKeyStore() });
 * serve({ fetch, port: 4100 });
 */
export function createBudgetApp(options: BudgetAppOptions): BudgetApp {
  const { engine } = options;
  const store = options.store ?? engine.store;
  const metrics = options.metrics ?? createMetrics();
  const hub = options.hub ?? createEventHub();
  const auth = isAuth(options.keys) ? options.keys : createAuth(options.keys);
  const logger = options.logger ?? pino({ level: "silent" });
  const deps: RouteDeps = {
    engine,
    store,
    catalog: options.catalog ?? engine.catalog,
    auth,
    hub,
    metrics,
    logger,
    updater: options.updater ?? null,
    assistant: options.assistant ?? null,
    ready: options.ready ?? (async () => Array.isArray(await store.listBudgets())),
    sseHeartbeatMs: options.sseHeartbeatMs ?? 15_000,
  };
  const readSlices = store.sliceStatus?.bind(store);
  if (readSlices) metrics.watchSlices(readSlices);
  const unsubscribe = engine.subscribe((event) => {
    metrics.observeEngineEvent(event);
    hub.publishEngineEvent(event);
  });

  const app = new OpenAPIHono();
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `Authorization: Bearer bgt_…` (or `X-Api-Key`)",
  });
  const maxSize = options.bodyLimitBytes ?? 1024 * 1024;
  const routes = [
    ...budgetRoutes(deps),
    ...reservationRoutes(deps),
    ...batchRoutes(deps),
    ...usageRoutes(deps),
    ...priceRoutes(deps),
    ...recommendationRoutes(deps),
    ...assistantRoutes(deps),
    ...alertRoutes(deps),
    ...keyRoutes(deps),
    ...runRoutes(deps),
    ...maintenanceRoutes(deps),
    ...eventRoutes(deps),
    ...systemRoutes(deps, app),
  ];
  mountRoutes(app, routes, {
    auth,
    metrics,
    publicPaths: new Set(options.publicMetrics ? ["/metrics"] : []),
    bodyLimitBytes: maxSize,
    logger,
  });
  if (options.gateway)
    mountGateway(
      app,
      { engine, auth, logger, registry: metrics.registry, bodyLimitBytes: maxSize },
      options.gateway,
    );
  app.get("*", serveDashboard());
  app.notFound(() => problemResponse({ status: 404, code: "not_found", detail: "no such route" }));
  app.onError((err, c) => {
    const requestId = requestIdOf(c);
    logger.error({ requestId, method: c.req.method, status: 500, err }, "unhandled error");
    return withRequestId(errorToProblem(err, requestId), requestId);
  });

  return {
    fetch: app.fetch,
    app,
    routes,
    hub,
    metrics,
    auth,
    close() {
      unsubscribe();
      hub.close();
    },
  };
}
