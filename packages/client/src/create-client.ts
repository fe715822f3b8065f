import {
  type BudgetClient,
  commitResultFromWire,
  limitStatusFromWire,
  pricedFromWire,
  type Reservation,
  reportRowFromWire,
  reservationFromWire,
  reserveResultFromWire,
} from "@budget/core";
import { type BudgetApi, createBudgetApi } from "./api.js";
import { type BatchOperation, type BatchResult, batchOperations } from "./batch.js";
import { allItems, type HttpOptions, orNotFound, toArray } from "./http.js";

/** Options of {@link createBudgetClient}. */
export type BudgetClientOptions = HttpOptions;

/** The HTTP client: a {@link BudgetClient} plus a reservation lookup and batches. */
export interface RemoteBudgetClient extends BudgetClient {
  getReservation(id: string): Promise<Reservation | null>;
  /**
   * Many reserve/commit/release/record operations in one round trip (`POST /v1/batch`): one result
   * per operation, in order, each what its own method returns or the error it would throw.
   *
   * @example
   * const [a, b] = await budget.batch([{ op: "reserve", request: r1 }, { op: "record", request: r2 }]);
   */
  batch(operations: readonly BatchOperation[]): Promise<BatchResult[]>;
}

/**
 * A {@link BudgetClient} that talks to a Budget server over HTTP: same methods, same result
 * types (money restored to bigint nano-USD), and the server's `BudgetError` codes rethrown.
 * Integrations take either this or the in-process engine. Built on {@link createBudgetApi}: pass
 * one to share its connection settings.
 *
 * @example
 * const budget = createBudgetClient({ url: "http://127.0.0.1:4100", apiKey: process.env.BUDGET_API_KEY });
 * const r = await budget.reserve({ dimensions: { component: "planner", model: "gpt-4o" }, estimate: { inputTokens: 900, outputTokens: 500 } });
 */
export function createBudgetClient(options: BudgetClientOptions | BudgetApi): RemoteBudgetClient {
  const api = "budgets" in options ? options : createBudgetApi(options);
  const { budgets, reservations, runs } = api;
  return {
    reserve: async (req, o) => reserveResultFromWire(await reservations.reserve(req, o)),
    async commit({ reservationId, ...body }) {
      return commitResultFromWire(await reservations.commit(reservationId, body));
    },
    release: async (id) => reservationFromWire(await reservations.release(id)),
    async getReservation(id) {
      const r = await orNotFound(reservations.get(id), null);
      return r && reservationFromWire(r);
    },
    batch: (operations) => batchOperations(api.batch, operations),
    record: async (req) => commitResultFromWire(await api.usage.record(req)),
    status: async (query = {}) => (await api.status.limits({ ...query })).items.map(limitStatusFromWire),
    async statusSummary(query = {}) {
      const { counts, top } = await api.status.summary({ ...query });
      return { counts, top: top.map(limitStatusFromWire) };
    },
    report: async (query = {}) => (await api.reports.query(query)).items.map(reportRowFromWire),
    advise: ({ dimensions, ...rest } = {}) =>
      api.recommendations.query({ ...rest, ...(dimensions ? { dimensions } : {}) }),
    recommendModels: (req) => api.recommendations.model(req),
    estimateCost: async (input) => pricedFromWire(await api.usage.estimate(input)),
    upsertBudget: (input) => budgets.put(input.id, input),
    getBudget: (id) => orNotFound(budgets.get(id), null),
    listBudgets: () => toArray(allItems(budgets.list)),
    deleteBudget: (id) => orNotFound(budgets.delete(id), { deleted: false }).then((r) => r.deleted),
    resetBudget: (id) => budgets.reset(id),
    startRun: (input) => runs.start(input),
    finishRun: (id, input) => runs.finish(id, input),
    getRun: (id) => orNotFound(runs.get(id), null),
    listRuns: (query = {}) => runs.list({ ...query }),
  };
}
