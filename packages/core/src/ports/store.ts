import type { Budget } from "../budget/budget.js";
import type { Dimensions } from "../budget/dimensions.js";
import type { ApiKeyRecord } from "../keys/api-keys.js";
import type { NanoUsd } from "../money/nano-usd.js";
import type { PriceVersion } from "../price/price.js";
import type { Usage } from "../usage/usage.js";

/** The three amounts every counter tracks. */
export interface Amounts {
  tokens: number;
  costNanoUsd: NanoUsd;
  requests: number;
}

/** Identifies one counter: budget × limit × partition × window. */
export interface CounterRef {
  /** `budgetId|limitId|partition|windowStart`: unique, stable. */
  key: string;
  budgetId: string;
  limitId: string;
  /** `""` or the `each` values, e.g. `worker=w1`. */
  partition: string;
  /** Epoch ms; for rolling windows the start of the bucket. */
  windowStart: number;
  /** Epoch ms, exclusive; null for lifetime. */
  windowEnd: number | null;
}

/** A counter's state. */
export interface CounterState extends CounterRef {
  used: Amounts;
  reserved: Amounts;
}

/** A hold to place on one counter, with the cap it must respect (hard limits). */
export interface CounterHold {
  counter: CounterRef;
  amounts: Amounts;
  /**
   * When set, the hold is placed only if, summed over `sumKeys` (the counter itself, or every
   * bucket of a rolling window), used + reserved + amounts stays within each given cap.
   */
  cap?: { sumKeys: string[]; tokens?: number; costNanoUsd?: NanoUsd; requests?: number };
  /** Set when `counter` is a rolling window's running sum: brought up to date before it is read. */
  window?: WindowSum;
}

/** An amount to add to a counter's `used` (a commit or record). */
export interface CounterIncrement {
  counter: CounterRef;
  amounts: Amounts;
  /** Set when `counter` is a rolling window's running sum: brought up to date before it is added to. */
  window?: WindowSum;
}

/**
 * A rolling window's running sum: one counter whose `used` is the sum of the `used` of
 * the window's bucket counters from `windowStart` on, and whose `reserved` holds the window's
 * reservations in flight, so that a hold reads one row instead of every bucket. When its
 * `windowStart` is below `since` (the window's oldest bucket now) or it is new, the store first
 * sets its `used` to the sum over `bucketKeys` (the window's buckets now) and its `windowStart` to
 * `since` — which changes no amount a reader sees — then applies the hold or increment.
 */
export interface WindowSum {
  since: number;
  /** The start of the bucket the hold's or usage's time falls in: usage older than the sum is not added to it. */
  newest: number;
  bucketKeys: readonly string[];
}

export type ReservationStatus = "active" | "committed" | "released" | "expired";

/** A hold on every matching budget, made before a call. */
export interface Reservation {
  id: string;
  idempotencyKey: string | null;
  status: ReservationStatus;
  createdAt: number;
  expiresAt: number;
  dimensions: Dimensions;
  /** What was held: the estimate's tokens, cost and requests. */
  estimate: Amounts;
  priceVersionId: string | null;
  /** Counter keys and amounts held, to be given back on commit, release or expiry. */
  holds: { key: string; amounts: Amounts }[];
}

/** How an event's cost was priced. */
export type PricingOutcome = "priced" | "fallback_price" | "explicit";

/** One immutable ledger row. */
export interface UsageEvent {
  id: string;
  /** `usage` for a call; `adjustment` for a later correction (reprice). */
  kind: "usage" | "adjustment";
  time: number;
  dimensions: Dimensions;
  usage: Usage;
  costNanoUsd: NanoUsd;
  /** The price version that produced the cost; null when the cost was given explicitly. */
  priceVersionId: string | null;
  pricing: PricingOutcome;
  reservationId: string | null;
  idempotencyKey: string;
}

/** The result of {@link Store.reserve}. */
export type StoreReserveResult =
  | { ok: true; reservation: Reservation; duplicate: boolean }
  /** `failedHold` indexes the request's holds; `current` is used + reserved over its `sumKeys`. */
  | { ok: false; failedHold: number; current: Amounts };

/** The result of {@link Store.commit}. */
export interface StoreCommitResult {
  /** `duplicate` when the idempotency key was seen before: nothing changed. */
  status: "committed" | "duplicate";
  event: UsageEvent;
  /** States after the commit of the counters incremented (empty for a duplicate). */
  counters: CounterState[];
}

/** A filter over the ledger. */
export interface EventQuery {
  from?: number;
  to?: number;
  dimensions?: Dimensions;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit?: number;
  /** `asc` (default): oldest first, as reports and exports read; `desc`: newest first, for people. */
  order?: "asc" | "desc";
}

/** A threshold crossing, denial, price change or source failure. */
export interface Alert {
  id: string;
  /** Unique: the same crossing in the same window is stored (and delivered) once. */
  dedupeKey: string;
  type: "threshold" | "denial" | "price_change" | "price_conflict" | "source_failure";
  severity: "info" | "warning" | "critical";
  time: number;
  message: string;
  data: Record<string, unknown>;
  acknowledgedAt: number | null;
}

/** Budgets and their change sequence. */
export interface BudgetStore {
  /** Stores a budget; returns the change sequence number it took (see {@link BudgetStore.budgetSeq}). */
  putBudget(budget: Budget): Promise<number>;
  getBudget(id: string): Promise<Budget | null>;
  /** Every budget, by id; with `openAt`, only those not closed at that instant (`activeUntil` absent or later). */
  listBudgets(query?: { openAt?: number }): Promise<Budget[]>;
  deleteBudget(id: string): Promise<boolean>;
  /**
   * The budget change sequence: a number that grows with every put or delete of a budget, in
   * commit order (0 before any). One cheap read, so instances poll it instead of reloading budgets.
   */
  budgetSeq(): Promise<number>;
  /** What changed after `since` (a value of {@link BudgetStore.budgetSeq}): only those budgets are read. */
  budgetChangesSince(since: number): Promise<BudgetChanges>;
}

/** The ledger and its counters, moved by the atomic operations: reserve, commit, release. */
export interface LedgerStore {
  /**
   * All-or-nothing: places every hold and stores the reservation, or places none and names the
   * first hold whose cap would be exceeded. A reservation whose idempotency key exists is returned
   * as it is (`duplicate: true`).
   */
  reserve(reservation: Reservation, holds: CounterHold[]): Promise<StoreReserveResult>;
  /**
   * In one transaction: appends `event` unless its idempotency key exists (then returns the
   * existing event as `duplicate`); settles `event.reservationId` if set (it must be active,
   * else `BudgetError("reservation_not_active")`), giving back its holds; adds `increments`.
   */
  commit(event: UsageEvent, increments: CounterIncrement[]): Promise<StoreCommitResult>;
  /** Gives back an active reservation's holds; returns its final status (no-op if not active). */
  release(reservationId: string, status: "released" | "expired"): Promise<Reservation | null>;
  getReservation(id: string): Promise<Reservation | null>;
  /** Active reservations whose `expiresAt` ≤ `now`. */
  listExpiredReservations(now: number, limit: number): Promise<Reservation[]>;
  getCounters(keys: string[]): Promise<CounterState[]>;
  /**
   * Optional (PostgreSQL with slices, ADR 0010): each shared counter with slices out, and what
   * they were granted, hold for active reservations, and counted but not yet settled into it.
   * Reads (`getCounters`, `listCounters`) already fold these in.
   */
  sliceStatus?(): Promise<SliceStatus[]>;
  /** Every counter of a budget (optionally only those whose window contains `at`). */
  listCounters(budgetId?: string): Promise<CounterState[]>;
  /** Overwrites `used` of counters (reconcile repairs drift); creates missing ones. */
  setCountersUsed(states: { counter: CounterRef; used: Amounts }[]): Promise<void>;
  /** Ledger events, oldest first, paginated. */
  listEvents(query: EventQuery): Promise<{ events: UsageEvent[]; nextCursor: string | null }>;
  getEventByIdempotencyKey(key: string): Promise<UsageEvent | null>;
  /**
   * The retention horizon: raw events before this time (epoch ms) may have been deleted (their
   * hourly rollups and counters stay), so the ledger no longer proves windows that began earlier.
   * Null when no event was ever pruned.
   */
  eventsPrunedBefore(): Promise<number | null>;
}

/** Alerts, unique by their dedupe key. */
export interface AlertStore {
  /** Stores the alert unless its `dedupeKey` exists; true when stored. */
  insertAlert(alert: Alert): Promise<boolean>;
  /** Newest first; `budgetId`: only the alerts naming that budget (`data.budgetId`). */
  listAlerts(query: {
    unacknowledgedOnly?: boolean;
    budgetId?: string;
    limit?: number;
    cursor?: string;
  }): Promise<{
    alerts: Alert[];
    nextCursor: string | null;
  }>;
  acknowledgeAlert(id: string, at: number): Promise<boolean>;
}

/** Price versions and the pending (quarantined) changes. */
export interface PriceStore {
  /** Adds versions and closes others (`effectiveTo`) in one transaction. */
  savePriceVersions(added: PriceVersion[], closed: { id: string; effectiveTo: number }[]): Promise<void>;
  listPriceVersions(query?: { provider?: string; model?: string }): Promise<PriceVersion[]>;
  savePendingPriceChange(change: PendingPriceChange): Promise<void>;
  listPendingPriceChanges(query?: { status?: PendingPriceChange["status"] }): Promise<PendingPriceChange[]>;
  /** Decides a pending change; false when it is not pending (already decided or unknown). */
  decidePendingPriceChange(id: string, status: "approved" | "rejected", decidedAt: number): Promise<boolean>;
}

/** API keys: records with the secret's hash only. */
export interface ApiKeyStore {
  /** Creates or replaces a key record (only its secret's hash is stored). */
  putApiKey(key: ApiKeyRecord): Promise<void>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  getApiKeyByHash(hash: string): Promise<ApiKeyRecord | null>;
  /**
   * Optional (PostgreSQL): calls `listener` with the id of every API key put by any instance
   * sharing the database — a revocation included — as soon as it commits; `*` when changes may
   * have been missed (the connection was lost). Resolves, once listening, to a stop function.
   */
  watchApiKeys?(listener: (keyId: string) => void): Promise<() => Promise<void>>;
}

/** The webhook outbox: alert deliveries survive a restart until they are done. */
export interface OutboxStore {
  /** Stores deliveries waiting for their webhook (an existing id is left as it is). */
  saveWebhookDeliveries(deliveries: WebhookDelivery[]): Promise<void>;
  /** Forgets a delivery once it is done (delivered, refused, or given up). */
  deleteWebhookDelivery(id: string): Promise<void>;
  /** Every waiting delivery, oldest first. */
  listWebhookDeliveries(): Promise<WebhookDelivery[]>;
}

/** Orchestration runs, persisted for reports. */
export interface RunStore {
  putRun(run: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | null>;
  listRuns(query?: {
    limit?: number;
    cursor?: string;
  }): Promise<{ runs: RunRecord[]; nextCursor: string | null }>;
}

/**
 * Persistence, shaped around the atomic operations the engine needs: one object implementing the
 * port of every aggregate. Code that needs one aggregate takes that port (`PriceStore`, …). Every
 * adapter passes the contract suite in `@budget/core/testing`, including its concurrency and
 * idempotency cases.
 */
export interface Store
  extends BudgetStore,
    LedgerStore,
    AlertStore,
    PriceStore,
    ApiKeyStore,
    OutboxStore,
    RunStore {
  close(): Promise<void>;
}

/** The slices of one counter (see `Store.sliceStatus`). */
export interface SliceStatus {
  counter: CounterRef;
  /** How many instances hold a slice of it. */
  slices: number;
  /** Granted to slices: counted in the shared row's reserved until settled. */
  granted: Amounts;
  /** Reserved by active reservations admitted on slices. */
  held: Amounts;
  /** Used on slices, not yet settled into the shared row's used. */
  unsettled: Amounts;
}

/** Budget changes after a point of the change sequence (see `Store.budgetChangesSince`). */
export interface BudgetChanges {
  /** The sequence number these changes bring a reader to. */
  seq: number;
  /** Budgets put after the point, as stored now. */
  changed: Budget[];
  /** Ids of budgets deleted after the point (and not put again since). */
  deleted: string[];
}

/** One event waiting for one webhook (see `Store.saveWebhookDeliveries`). */
export interface WebhookDelivery {
  /** The delivery id, the same across retries and restarts. */
  id: string;
  /** The webhook's label (its configured id, else its host). */
  webhook: string;
  /** The event type, e.g. `alert.threshold`. */
  type: string;
  /** The JSON body to POST. */
  body: string;
  createdAt: number;
}

/** A price change held for approval, with the evidence that made it suspicious. */
export interface PendingPriceChange {
  id: string;
  status: "pending" | "approved" | "rejected";
  createdAt: number;
  decidedAt: number | null;
  provider: string;
  model: string;
  /** The version that would apply on approval (its id is assigned then kept). */
  proposed: PriceVersion;
  /** Why it was quarantined: sources, old and new values, percentages. */
  evidence: Record<string, unknown>;
}

/** One orchestration run, persisted for reports. */
export interface RunRecord {
  id: string;
  name: string;
  status: "running" | "completed" | "halted" | "failed";
  startedAt: number;
  endedAt: number | null;
  /** The run configuration as given. */
  config: Record<string, unknown>;
  /** Per-worker and per-task totals, halt reason; JSON-safe (money as USD strings). */
  summary: Record<string, unknown>;
  /** The API key that started the run (absent when started in-process): only it, or an admin, manages the run. */
  startedBy?: RunStarter;
}

/** Who started a run: the key, and the components and projects it was limited to then. */
export interface RunStarter {
  keyId: string;
  components?: string[];
  projects?: string[];
}
