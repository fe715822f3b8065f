import {
  type Budget,
  type BudgetClient,
  type CommitResultWire,
  commitResultFromWire,
  isBudgetError,
  type LimitStatusWire,
  limitStatusFromWire,
  type ModelRecommendation,
  type PricedWire,
  pricedFromWire,
  type ReportRowWire,
  type Reservation,
  type ReservationWire,
  type ReserveResultWire,
  type RunRecord,
  type RunsPage,
  reportRowFromWire,
  reservationFromWire,
  reserveResultFromWire,
  type SpendAdvice,
  type StatusSummary,
} from "@budget/core";
import { type BatchOperation, type BatchResult, batchOperations } from "./batch.js";
import { createHttp, type HttpOptions } from "./http.js";

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

const seg = encodeURIComponent;

/** Maps a 404 to null (or false), as the in-process engine answers a lookup of an unknown id. */
async function orNotFound<T, F>(p: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await p;
  } catch (err) {
    if (isBudgetError(err, "not_found")) return fallback;
    throw err;
  }
}

/**
 * A {@link BudgetClient} that talks to a Budget server over HTTP: same methods, same result
 * types (money restored to bigint nano-USD), and the server's `BudgetError` codes rethrown.
 * Integrations take either this or the in-process engine.
 *
 * @example
 * const budget = createBudgetClient({ url: "http://127.0.0.1:4100", apiKey: process.env.BUDGET_API_KEY });
 * const r = await budget.reserve({ dimensions: { component: "planner", model: "gpt-4o" }, estimate: { inputTokens: 900, outputTokens: 500 } });
 */
export function createBudgetClient(options: BudgetClientOptions): RemoteBudgetClient {
  const http = createHttp(options);
  return {
    async reserve(req, reserveOptions) {
      const wait = { extraTimeoutMs: req.waitMs ?? 0, signal: reserveOptions?.signal };
      return reserveResultFromWire(
        await http<ReserveResultWire>("POST", "/v1/reservations", { body: req, ...wait }),
      );
    },
    async commit(req) {
      const { reservationId, ...body } = req;
      const path = `/v1/reservations/${seg(reservationId)}/commit`;
      return commitResultFromWire(await http<CommitResultWire>("POST", path, { body }));
    },
    async release(reservationId) {
      const path = `/v1/reservations/${seg(reservationId)}/release`;
      return reservationFromWire(await http<ReservationWire>("POST", path));
    },
    async getReservation(id) {
      const r = await orNotFound(http<ReservationWire>("GET", `/v1/reservations/${seg(id)}`), null);
      return r && reservationFromWire(r);
    },
    batch: (operations) => batchOperations(http, operations),
    async record(req) {
      return commitResultFromWire(await http<CommitResultWire>("POST", "/v1/usage", { body: req }));
    },
    async status(query = {}) {
      const res = await http<{ items: LimitStatusWire[] }>("GET", "/v1/status", { query: { ...query } });
      return res.items.map(limitStatusFromWire);
    },
    async statusSummary(query = {}) {
      const res = await http<{ counts: StatusSummary["counts"]; top: LimitStatusWire[] }>(
        "GET",
        "/v1/status/summary",
        { query: { ...query } },
      );
      return { counts: res.counts, top: res.top.map(limitStatusFromWire) };
    },
    async report(query = {}) {
      const res = await http<{ items: ReportRowWire[] }>("POST", "/v1/reports", { body: query });
      return res.items.map(reportRowFromWire);
    },
    async advise(query = {}) {
      const { dimensions, ...rest } = query;
      return http<SpendAdvice>("POST", "/v1/recommendations", {
        body: { ...rest, ...(dimensions ? { dimensions } : {}) },
      });
    },
    async recommendModels(req) {
      return http<ModelRecommendation>("POST", "/v1/recommendations/model", { body: req });
    },
    async estimateCost(input) {
      return pricedFromWire(await http<PricedWire>("POST", "/v1/estimate", { body: input }));
    },
    upsertBudget: (input) => http<Budget>("PUT", `/v1/budgets/${seg(input.id)}`, { body: input }),
    getBudget: (id) => orNotFound(http<Budget>("GET", `/v1/budgets/${seg(id)}`), null),
    async listBudgets() {
      return (await http<{ items: Budget[] }>("GET", "/v1/budgets")).items;
    },
    async deleteBudget(id) {
      return orNotFound(
        http<{ deleted: boolean }>("DELETE", `/v1/budgets/${seg(id)}`).then((r) => r.deleted),
        false,
      );
    },
    resetBudget: (id) => http<Budget>("POST", `/v1/budgets/${seg(id)}/reset`),
    startRun: (input) => http<RunRecord>("POST", "/v1/runs", { body: input }),
    finishRun: (id, input) => http<RunRecord>("POST", `/v1/runs/${seg(id)}/finish`, { body: input }),
    getRun: (id) => orNotFound(http<RunRecord>("GET", `/v1/runs/${seg(id)}`), null),
    listRuns: (query = {}) => http<RunsPage>("GET", "/v1/runs", { query }),
  };
}
