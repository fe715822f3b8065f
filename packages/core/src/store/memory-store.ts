import { BudgetError } from "../errors/budget-error.js";
import type { ApiKeyRecord } from "../keys/api-keys.js";
import type {
  Alert,
  CounterRef,
  CounterState,
  EventQuery,
  PendingPriceChange,
  Reservation,
  RunRecord,
  Store,
  StoreCommitResult,
  StoreReserveResult,
  UsageEvent,
  WebhookDelivery,
} from "../ports/store.js";
import type { PriceVersion } from "../price/price.js";
import { zeroAmounts } from "./amounts.js";
import type { BatchOp } from "./atomic-ops.js";
import { applyBatch, copyEvent as cloneEvent, copyReservation as cloneReservation } from "./atomic-plan.js";
import { createMemoryBudgets } from "./memory-budgets.js";
import { eventMatches, pageOf } from "./query.js";

/**
 * A `Store` in memory: for tests, benchmarks and embedding without persistence. Reserve, commit
 * and release are core's atomic planner (`applyBatch`) run on the store's own maps, one op at a
 * time and without an `await`, so each is atomic on Node's one thread.
 */
export function createMemoryStore(): Store {
  const budgets = createMemoryBudgets();
  const counters = new Map<string, CounterState>();
  const reservations = new Map<string, Reservation>();
  const reservationByKey = new Map<string, Reservation>();
  const active = new Map<string, Reservation>();
  const events: UsageEvent[] = [];
  const eventByKey = new Map<string, UsageEvent>();
  const alerts: Alert[] = [];
  const alertKeys = new Set<string>();
  const prices = new Map<string, PriceVersion>();
  const pending = new Map<string, PendingPriceChange>();
  const runs = new Map<string, RunRecord>();
  const apiKeys = new Map<string, ApiKeyRecord>();
  const deliveries = new Map<string, WebhookDelivery>();

  const counterFor = (ref: CounterRef): CounterState => {
    let c = counters.get(ref.key);
    if (!c) {
      c = { ...ref, used: zeroAmounts(), reserved: zeroAmounts() };
      counters.set(ref.key, c);
    }
    return c;
  };
  const copy = (c: CounterState): CounterState => ({
    ...c,
    used: { ...c.used },
    reserved: { ...c.reserved },
  });
  /** Plans and applies one atomic op on the store's own maps (the planner changes them in place). */
  const run = (op: BatchOp): unknown => {
    const state = {
      reservationsById: reservations,
      reservationsByKey: reservationByKey,
      eventsByKey: eventByKey,
      counters,
    };
    const { outcomes, writes } = applyBatch([op], state);
    const outcome = outcomes[0]!;
    if (!outcome.ok) throw outcome.error;
    for (const r of writes.reservations) if (r.status === "active") active.set(r.id, r);
    for (const s of writes.statuses) active.delete(s.id);
    events.push(...writes.events);
    return outcome.value;
  };

  return {
    putBudget: async (budget) => budgets.put(budget),
    getBudget: async (id) => budgets.get(id),
    listBudgets: async (query) => budgets.list(query?.openAt),
    deleteBudget: async (id) => budgets.delete(id),
    budgetSeq: async () => budgets.seq(),
    budgetChangesSince: async (since) => budgets.changesSince(since),

    async reserve(reservation, holds) {
      const result = run({ kind: "reserve", reservation, holds }) as StoreReserveResult;
      return result.ok ? { ...result, reservation: cloneReservation(result.reservation) } : result;
    },
    async commit(event, increments) {
      const result = run({ kind: "commit", event, increments }) as StoreCommitResult;
      return { ...result, event: cloneEvent(result.event) };
    },
    async release(reservationId, status) {
      return run({ kind: "release", reservationId, status }) as Reservation | null;
    },
    async getReservation(id) {
      const r = reservations.get(id);
      return r ? cloneReservation(r) : null;
    },
    async listExpiredReservations(now, limit) {
      const out: Reservation[] = [];
      for (const r of active.values()) {
        if (out.length >= limit) break;
        if (r.status === "active" && r.expiresAt <= now) out.push(cloneReservation(r));
      }
      return out;
    },

    async getCounters(keys) {
      return keys.flatMap((k) => {
        const c = counters.get(k);
        return c ? [copy(c)] : [];
      });
    },
    async listCounters(budgetId) {
      return [...counters.values()]
        .filter((c) => budgetId === undefined || c.budgetId === budgetId)
        .map(copy);
    },
    async setCountersUsed(states) {
      for (const s of states) counterFor(s.counter).used = { ...s.used };
    },
    async listEvents(query: EventQuery) {
      const matching = events
        .filter((e) => eventMatches(e, query))
        .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (query.order === "desc") matching.reverse();
      const cursorOf = (e: UsageEvent) => `${String(e.time).padStart(15, "0")}:${e.id}`;
      const page = pageOf(matching, query, cursorOf, false, query.order === "desc");
      return { events: page.items.map(cloneEvent), nextCursor: page.nextCursor };
    },
    async getEventByIdempotencyKey(key) {
      const e = eventByKey.get(key);
      return e ? cloneEvent(e) : null;
    },

    async insertAlert(alert) {
      if (alertKeys.has(alert.dedupeKey)) return false;
      alertKeys.add(alert.dedupeKey);
      alerts.push(structuredClone(alert));
      return true;
    },
    async listAlerts(query) {
      const matching = alerts
        .filter((a) => !query.unacknowledgedOnly || a.acknowledgedAt === null)
        .filter((a) => query.budgetId === undefined || a.data.budgetId === query.budgetId)
        .reverse();
      const { items, nextCursor } = pageOf(matching, query, (a) => a.id, true);
      return { alerts: items.map((a) => structuredClone(a)), nextCursor };
    },
    async acknowledgeAlert(id, at) {
      const a = alerts.find((x) => x.id === id);
      if (!a || a.acknowledgedAt !== null) return false;
      a.acknowledgedAt = at;
      return true;
    },

    async savePriceVersions(added, closed) {
      for (const c of closed) {
        const v = prices.get(c.id);
        if (!v) throw new BudgetError("not_found", `price version ${c.id} not found`);
      }
      for (const c of closed) prices.set(c.id, { ...prices.get(c.id)!, effectiveTo: c.effectiveTo });
      for (const v of added) prices.set(v.id, structuredClone(v));
    },
    async listPriceVersions(query = {}) {
      return [...prices.values()]
        .filter(
          (v) =>
            (query.provider === undefined || v.provider === query.provider) &&
            (query.model === undefined || v.model === query.model),
        )
        .map((v) => structuredClone(v));
    },

    async savePendingPriceChange(change) {
      pending.set(change.id, structuredClone(change));
    },
    async listPendingPriceChanges(query = {}) {
      return [...pending.values()]
        .filter((c) => query.status === undefined || c.status === query.status)
        .map((c) => structuredClone(c));
    },
    async decidePendingPriceChange(id, status, decidedAt) {
      const c = pending.get(id);
      if (c?.status !== "pending") return false;
      c.status = status;
      c.decidedAt = decidedAt;
      return true;
    },

    async putApiKey(key) {
      apiKeys.set(key.id, structuredClone(key));
    },
    async listApiKeys() {
      return [...apiKeys.values()]
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .map((k) => structuredClone(k));
    },
    async getApiKeyByHash(hash) {
      const k = [...apiKeys.values()].find((x) => x.hash === hash);
      return k ? structuredClone(k) : null;
    },
    async putRun(run) {
      runs.set(run.id, structuredClone(run));
    },
    async getRun(id) {
      const r = runs.get(id);
      return r ? structuredClone(r) : null;
    },
    async listRuns(query = {}) {
      const all = [...runs.values()].sort((a, b) => b.startedAt - a.startedAt || a.id.localeCompare(b.id));
      const { items: page, nextCursor } = pageOf(all, query, (r) => r.id, true);
      return { runs: page.map((r) => structuredClone(r)), nextCursor };
    },

    async saveWebhookDeliveries(list) {
      for (const d of list) if (!deliveries.has(d.id)) deliveries.set(d.id, { ...d });
    },
    async deleteWebhookDelivery(id) {
      deliveries.delete(id);
    },
    async listWebhookDeliveries() {
      return [...deliveries.values()]
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map((d) => ({ ...d }));
    },
    // Events are never pruned here.
    async eventsPrunedBefore() {
      return null;
    },
    async close() {},
  };
}
