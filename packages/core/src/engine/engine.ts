import type { z } from "zod";
import {
  type ModelRecommendation,
  type ModelRecommendationRequest,
  modelRecommendationRequestSchema,
  recommendModels,
} from "../advice/recommend-models.js";
import {
  type SpendAdvice,
  type SpendAdviceQuery,
  spendAdvice,
  spendAdviceQuerySchema,
} from "../advice/spend-advice.js";
import { type Budget, type BudgetInput, budgetInputSchema } from "../budget/budget.js";
import type { Catalog } from "../catalog/catalog-port.js";
import { BudgetError } from "../errors/budget-error.js";
import { validate } from "../errors/validate.js";
import {
  type AmountBounds,
  type AmountBoundsInput,
  assertLimitWithin,
  resolveAmountBounds,
} from "../limits/amount-bounds.js";
import { type Clock, systemClock } from "../ports/clock.js";
import { type IdSource, randomIds } from "../ports/ids.js";
import type { Reservation, RunRecord, RunStarter, Store, UsageEvent } from "../ports/store.js";
import { makeUsage, type Usage } from "../usage/usage.js";
import { createBudgetCache } from "./budget-cache.js";
import { budgetFit } from "./budget-fit.js";
import {
  type BudgetStatusPage,
  type BudgetStatusQuery,
  budgetStatuses,
  budgetStatusQuerySchema,
} from "./budget-statuses.js";
import { reserveCandidate } from "./candidates.js";
import { commit, incrementsFor, record, release, sweepExpired } from "./commit.js";
import { createRecentReservations, type EngineContext } from "./context.js";
import { createPricer, type Priced, type UnknownModelPolicy } from "./pricing.js";
import { reconcile } from "./reconcile.js";
import { report } from "./report.js";
import {
  type CommitRequest,
  type CommitResult,
  commitRequestSchema,
  type EngineEvent,
  type LimitStatus,
  type RecordRequest,
  type ReportQuery,
  type ReportRow,
  type ReserveOptions,
  type ReserveRequest,
  type ReserveResult,
  recordRequestSchema,
  reportQuerySchema,
  reserveRequestSchema,
  type StatusQuery,
  type StatusSummary,
  type StatusSummaryQuery,
  statusQuerySchema,
  statusSummaryQuerySchema,
} from "./requests.js";
import { reserve } from "./reserve.js";
import {
  createRunOperations,
  type FinishRunInput,
  type ListRunsQuery,
  type RunsPage,
  type StartRunInput,
} from "./runs.js";
import { status, statusSummary } from "./status.js";
import { assertWaitWithin, reserveWaiting } from "./wait.js";
import { createWaitQueue } from "./wait-queue.js";

/** Options of {@link createBudgetEngine}. */
export interface BudgetEngineOptions {
  store: Store;
  catalog: Catalog;
  clock?: Clock;
  ids?: IdSource;
  /** What an unpriced model does (default: deny). */
  unknownModel?: UnknownModelPolicy;
  /** Reservation TTL when a request gives none (default 10 minutes). */
  defaultTtlMs?: number;
  /**
   * How often the engine reads the store's budget change sequence (default 1 s): a budget change
   * made by any instance is in force here for every call starting this long after it. Only the
   * budgets changed are read again.
   */
  budgetCacheMs?: number;
  /**
   * Most one event and one limit may carry (default {@link DEFAULT_AMOUNT_BOUNDS}): a usage,
   * estimate or limit past them is refused with `amount_too_large`.
   */
  amountBounds?: AmountBoundsInput | AmountBounds;
  /** Longest `waitMs` a reservation may ask for (default 30 s); a longer one is `invalid_input`. */
  maxWaitMs?: number;
  /** Most reservations waiting at once on this engine (default 1,000); past it a denial answers at once. */
  maxWaiters?: number;
  /** How often the head of a wait queue retries without a wake-up, for holds other instances free (default 250 ms). */
  waitPollMs?: number;
}

/**
 * What every way in speaks: the in-process engine and the HTTP client implement it alike, so
 * integrations work against either.
 */
export interface BudgetClient {
  /** Reserve before a call; with `waitMs`, wait for capacity (`options.signal` cancels the wait). */
  reserve(req: ReserveRequest, options?: ReserveOptions): Promise<ReserveResult>;
  commit(req: CommitRequest): Promise<CommitResult>;
  release(reservationId: string): Promise<Reservation>;
  record(req: RecordRequest): Promise<CommitResult>;
  status(query?: StatusQuery): Promise<LimitStatus[]>;
  /** Counts of limits by state (over, near, within) and the ones closest to their limits. */
  statusSummary(query?: StatusSummaryQuery): Promise<StatusSummary>;
  report(query?: ReportQuery): Promise<ReportRow[]>;
  estimateCost(input: {
    provider?: string;
    model: string;
    usage: Partial<Usage>;
    batch?: boolean;
    /** Epoch ms whose prices apply (default now): past versions and time-of-day rates. */
    at?: number;
  }): Promise<Priced>;
  /**
   * Ranks the catalog's models that meet a task's requirements by what its usage would cost, with
   * the saving against the current model and whether the work fits the matching budgets now.
   */
  recommendModels(req: ModelRecommendationRequest): Promise<ModelRecommendation>;
  /**
   * Advice from the ledger (default: the last 30 days): cheaper capable models priced on the actual
   * calls, low cache reads, batchable spend, budgets forecast to run out, estimated usage — each
   * with the report queries that reproduce its figures.
   */
  advise(query?: SpendAdviceQuery): Promise<SpendAdvice>;
  upsertBudget(input: BudgetInput): Promise<Budget>;
  getBudget(id: string): Promise<Budget | null>;
  listBudgets(): Promise<Budget[]>;
  deleteBudget(id: string): Promise<boolean>;
  resetBudget(id: string): Promise<Budget>;
  /** Starts an orchestration run (status `running`); a still-running run with the same id is returned. */
  startRun(input: StartRunInput): Promise<RunRecord>;
  /** Ends a running run with `completed`, `halted` or `failed` and its summary. */
  finishRun(id: string, input: FinishRunInput): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | null>;
  /** Runs, newest first, paginated. */
  listRuns(query?: ListRunsQuery): Promise<RunsPage>;
}

/** The in-process engine: a {@link BudgetClient} plus maintenance operations. */
export interface BudgetEngine extends BudgetClient {
  /**
   * Closes a budget now (`activeUntil`, unless it closes earlier already): it keeps its counters,
   * history and reports but is no longer matched or held in any instance's hot set.
   */
  closeBudget(id: string): Promise<Budget>;
  /** Reopens a closed budget explicitly (drops its `activeUntil`). */
  reopenBudget(id: string): Promise<Budget>;
  /** Starts a run, recording the key that started it (`startedBy`, given by the HTTP API). */
  startRun(input: StartRunInput, options?: { startedBy?: RunStarter }): Promise<RunRecord>;
  /**
   * The open budgets with their limit statuses, filtered (search, scope dimension, enforcement,
   * state), sorted and a page at a time, with the summary's counts (what a Budgets screen shows).
   */
  budgetStatuses(query?: BudgetStatusQuery): Promise<BudgetStatusPage>;
  /** Expires reservations past their TTL (also done lazily, at most once a second, on reserve). */
  sweepExpired(): Promise<number>;
  /** Recomputes counters from the ledger; reports (and with `repair`, fixes) drift. */
  reconcile(options?: { repair?: boolean }): ReturnType<typeof reconcile>;
  /**
   * Appends a prepared ledger event — an `adjustment` from a reprice, an import — moving the
   * counters of its time like any usage event (idempotent by its key).
   */
  appendEvent(event: UsageEvent): Promise<{ status: "committed" | "duplicate" }>;
  /** Listens to usage, decisions, releases, alerts and budget changes; returns an unsubscribe. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  readonly store: Store;
  readonly catalog: Catalog;
  readonly clock: Clock;
}

/**
 * Creates the budget engine: reserve before a call, commit after, release on failure — atomic
 * across every matching budget.
 *
 * @example
 * const engine = createBudgetEngine({ store: createMemoryStore(), catalog });
 * await engine.upsertBudget({ id: "team", limits: [{ id: "monthly", window: { type: "month" }, cost: "100" }] });
 * const r = await engine.reserve({ dimensions: { model: "gpt-4o" }, estimate: { inputTokens: 900, outputTokens: 500 } });
 * if (r.status === "allowed") await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 900, outputTokens: 212 } });
 */
export function createBudgetEngine(options: BudgetEngineOptions): BudgetEngine {
  const clock = options.clock ?? systemClock;
  const { store, catalog } = options;
  const cache = createBudgetCache(store, clock, options.budgetCacheMs ?? 1000);
  const listeners = new Set<(event: EngineEvent) => void>();
  const ctx: EngineContext = {
    store,
    clock,
    ids: options.ids ?? randomIds,
    price: createPricer(catalog, options.unknownModel ?? { mode: "deny" }),
    defaultTtlMs: options.defaultTtlMs ?? 600_000,
    bounds: boundsOf(options.amountBounds),
    budgets: () => cache.get(),
    invalidateBudgets: () => cache.invalidate(),
    emit: (event) => {
      for (const l of listeners) l(event);
    },
    seenAlertKeys: new Set(),
    recentReservations: createRecentReservations(),
    waiting: {
      queue: createWaitQueue(options.maxWaiters ?? 1000),
      maxWaitMs: options.maxWaitMs ?? 30_000,
      pollMs: options.waitPollMs ?? 250,
    },
  };
  let lastSweep = Number.NEGATIVE_INFINITY;
  const runs = createRunOperations(store, clock, ctx.ids);

  const requireBudget = async (id: string) => {
    const b = await store.getBudget(id);
    if (!b) throw new BudgetError("not_found", `budget ${id} not found`, { budgetId: id });
    return b;
  };

  const putChanged = async (budget: Budget, change: "closed" | "reopened") => {
    cache.wrote(budget, await store.putBudget(budget));
    ctx.emit({ type: "budget", budgetId: budget.id, change });
    return budget;
  };
  const closeBudget = async (id: string) => {
    const b = await requireBudget(id);
    const now = clock.now();
    if (b.activeUntil !== undefined && b.activeUntil <= now) return b;
    return putChanged(
      { ...b, activeUntil: Math.max(now, (b.activeFrom ?? -1) + 1), updatedAt: now },
      "closed",
    );
  };

  return {
    store,
    catalog,
    clock,
    async reserve(req, reserveOptions) {
      const parsed = validate(reserveRequestSchema, req, "reserve");
      assertWaitWithin(ctx.waiting, parsed.waitMs);
      const once = async () => {
        if (clock.now() - lastSweep >= 1000) {
          lastSweep = clock.now();
          await sweepExpired(ctx);
        }
        return parsed.candidates
          ? reserveCandidate(ctx, catalog, parsed, parsed.candidates)
          : reserve(ctx, parsed);
      };
      const result = await reserveWaiting({
        settings: ctx.waiting,
        waitMs: parsed.waitMs,
        priority: parsed.priority,
        signal: reserveOptions?.signal,
        once,
      });
      ctx.emit({ type: "reservation", dimensions: parsed.dimensions, result });
      return result;
    },
    // async, so that validation errors reject instead of throwing synchronously
    commit: async (req) => commit(ctx, validate(commitRequestSchema, req, "commit")),
    release: async (id) => release(ctx, id),
    record: async (req) => record(ctx, validate(recordRequestSchema, req, "record")),
    status: async (query = {}) => status(ctx, validate(statusQuerySchema, query, "status")),
    statusSummary: async (query = {}) =>
      statusSummary(ctx, validate(statusSummaryQuerySchema, query, "status")),
    budgetStatuses: async (query = {}) =>
      budgetStatuses(ctx, validate(budgetStatusQuerySchema, query, "budget status")),
    report: async (query = {}) =>
      report(store, validate(reportQuerySchema, query, "report") as z.output<typeof reportQuerySchema>),
    async estimateCost(input) {
      const usage = makeUsage(input.usage);
      const priced = ctx.price({
        dimensions: { provider: input.provider, model: input.model },
        usage,
        at: input.at ?? clock.now(),
        batch: input.batch ?? false,
      });
      if (!priced.ok) return priced;
      const { resolvedProvider: _resolved, ...cost } = priced;
      return cost;
    },
    async recommendModels(req) {
      const parsed = validate(modelRecommendationRequestSchema, req, "recommendation");
      return recommendModels(catalog, parsed, clock.now(), (dims, usage, cost) =>
        budgetFit(ctx, dims, usage, cost),
      );
    },
    async advise(query = {}) {
      const parsed = validate(spendAdviceQuerySchema, query, "advice");
      const deps = { store, catalog, status: () => status(ctx, {}) };
      return spendAdvice(deps, parsed, clock.now());
    },
    async upsertBudget(input) {
      const parsed = validate(budgetInputSchema, input, "budget");
      for (const [i, l] of parsed.limits.entries()) assertLimitWithin(ctx.bounds, l, `budget.limits.${i}`);
      const now = clock.now();
      const prev = await store.getBudget(parsed.id);
      const budget: Budget = {
        ...parsed,
        resetAt: prev?.resetAt ?? null,
        createdAt: prev?.createdAt ?? now,
        updatedAt: now,
      };
      cache.wrote(budget, await store.putBudget(budget));
      ctx.emit({ type: "budget", budgetId: budget.id, change: "upserted" });
      return budget;
    },
    getBudget: (id) => store.getBudget(id),
    listBudgets: () => store.listBudgets(),
    async deleteBudget(id) {
      const deleted = await store.deleteBudget(id);
      cache.invalidate();
      if (deleted) ctx.emit({ type: "budget", budgetId: id, change: "deleted" });
      return deleted;
    },
    async resetBudget(id) {
      const b = await requireBudget(id);
      const now = clock.now();
      const budget: Budget = { ...b, resetAt: now, updatedAt: now };
      cache.wrote(budget, await store.putBudget(budget));
      ctx.emit({ type: "budget", budgetId: id, change: "reset" });
      return budget;
    },
    ...runs,
    async finishRun(id, input) {
      const run = await runs.finishRun(id, input);
      // A finished run's budgets leave the hot set; its counters, ledger and report stay.
      const index = await ctx.budgets();
      for (const b of index.withRun(id)) await closeBudget(b.budget.id);
      return run;
    },
    closeBudget: (id) => closeBudget(id),
    async reopenBudget(id) {
      const { activeUntil: _closed, ...b } = await requireBudget(id);
      return putChanged({ ...b, updatedAt: clock.now() }, "reopened");
    },
    sweepExpired: () => sweepExpired(ctx),
    async appendEvent(event) {
      const stored = await store.commit(event, await incrementsFor(ctx, event));
      if (stored.status === "committed") ctx.emit({ type: "usage", event: stored.event });
      return { status: stored.status };
    },
    reconcile: (opts) => reconcile(ctx, opts),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const boundsOf = (b: AmountBoundsInput | AmountBounds | undefined): AmountBounds =>
  b && "event" in b ? b : resolveAmountBounds(b);
