import type { BudgetEngine, Catalog, PendingPriceChange, Store } from "@budget/core";
import type { Logger } from "pino";
import type { Assistant } from "../assistant/create-assistant.js";
import type { Auth } from "../auth/auth.js";
import type { EventHub } from "../events/event-hub.js";
import type { Metrics } from "../metrics/metrics.js";

/**
 * What the price routes need from the price updater (`@budget/prices`): run an update, decide a
 * quarantined change. The routes that use it exist only when one is given.
 */
export interface PriceUpdaterPort {
  /** Fetches every source and applies (or quarantines) changes; returns a JSON-safe report. */
  update(): Promise<unknown>;
  approve(pendingId: string): Promise<PendingPriceChange | unknown>;
  reject(pendingId: string): Promise<PendingPriceChange | unknown>;
  /** Decides every pending change matching the filter (source, provider, update run) in one call. */
  decideMany?(
    decision: "approved" | "rejected",
    filter: { sourceId?: string | undefined; provider?: string | undefined; runId?: string | undefined },
  ): Promise<{ decision: string; ids: string[]; skipped: string[] }>;
}

/** Everything route handlers use. */
export interface RouteDeps {
  engine: BudgetEngine;
  store: Store;
  catalog: Catalog;
  auth: Auth;
  hub: EventHub;
  metrics: Metrics;
  logger: Logger;
  updater: PriceUpdaterPort | null;
  /** The optional assistant (`POST /v1/assistant` exists only with one). */
  assistant?: Assistant | null;
  /** Readiness beyond "the process runs": e.g. the store answers. */
  ready: () => Promise<boolean>;
  sseHeartbeatMs: number;
}
