import { BudgetError } from "../errors/budget-error.js";
import type { ApiKeyRecord } from "../keys/api-keys.js";
import { assertCounterFits } from "../limits/amount-bounds.js";
import type {
  Alert,
  Amounts,
  CounterHold,
  CounterIncrement,
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
import { addAmounts, holdFits, subtractAmounts, zeroAmounts } from "./amounts.js";
import { createMemoryBudgets } from "./memory-budgets.js";
import { eventMatches, pageOf } from "./query.js";

const cloneReservation = (r: Reservation): Reservation => ({
  ...r,
  dimensions: { ...r.dimensions },
  estimate: { ...r.estimate },
  holds: r.holds.map((h) => ({ key: h.key, amounts: { ...h.amounts } })),
});
const cloneEvent = (e: UsageEvent): UsageEvent => ({
  ...e,
  dimensions: { ...e.dimensions },
  usage: { ...e.usage },
});

/**
 * A `Store` in memory: for tests, benchmarks and embedding without persistence. Every operation
 * runs without an `await` between reading and writing, so each is atomic on Node's one thread.
 */
export function createMemoryStore(): Store {
  const budgets = createMemoryBudgets();
  const counters = new Map<string, CounterState>();
  const reservations = new Map<string, Reservation>();
  const reservationByKey = new Map<string, string>();
  const active = new Set<Reservation>();
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
  const current = (keys: string[]): Amounts => {
    const sum = zeroAmounts();
    for (const k of keys) {
      const c = counters.get(k);
      if (!c) continue;
      sum.tokens += c.used.tokens + c.reserved.tokens;
      sum.costNanoUsd += c.used.costNanoUsd + c.reserved.costNanoUsd;
      sum.requests += c.used.requests + c.reserved.requests;
    }
    return sum;
  };
  const copy = (c: CounterState): CounterState => ({
    ...c,
    used: { ...c.used },
    reserved: { ...c.reserved },
  });
  /** Throws `counter_overflow` unless every counter stays under the ceiling with `deltas` applied. */
  const assertFits = (deltas: { key: string; amounts: Amounts }[]) => {
    const next = new Map<string, Amounts>();
    for (const d of deltas) next.set(d.key, addAmounts(next.get(d.key) ?? current([d.key]), d.amounts));
    for (const [key, load] of next) assertCounterFits(key, load);
  };
  const giveBack = (r: Reservation) => {
    for (const h of r.holds) {
      const c = counters.get(h.key);
      if (c) c.reserved = subtractAmounts(c.reserved, h.amounts);
    }
  };

  return {
    async putBudget(budget) {
      budgets.put(budget);
    },
    getBudget: async (id) => budgets.get(id),
    listBudgets: async (query) => budgets.list(query?.openAt),
    deleteBudget: async (id) => budgets.delete(id),
    budgetSeq: async () => budgets.seq(),
    budgetChangesSince: async (since) => budgets.changesSince(since),

    async reserve(reservation: Reservation, holds: CounterHold[]): Promise<StoreReserveResult> {
      const existingId = reservation.idempotencyKey
        ? reservationByKey.get(reservation.idempotencyKey)
        : undefined;
      const existing = existingId ? reservations.get(existingId) : undefined;
      if (existing) return { ok: true, reservation: cloneReservation(existing), duplicate: true };
      for (const [i, hold] of holds.entries()) {
        const now = current(hold.cap?.sumKeys ?? []);
        if (!holdFits(hold, now)) return { ok: false, failedHold: i, current: now };
      }
      assertFits(holds.map((h) => ({ key: h.counter.key, amounts: h.amounts })));
      for (const hold of holds) {
        const c = counterFor(hold.counter);
        c.reserved = addAmounts(c.reserved, hold.amounts);
      }
      const stored = cloneReservation(reservation);
      reservations.set(stored.id, stored);
      active.add(stored);
      if (stored.idempotencyKey) reservationByKey.set(stored.idempotencyKey, stored.id);
      return { ok: true, reservation: cloneReservation(stored), duplicate: false };
    },

    async commit(event: UsageEvent, increments: CounterIncrement[]): Promise<StoreCommitResult> {
      const seen = eventByKey.get(event.idempotencyKey);
      if (seen) return { status: "duplicate", event: cloneEvent(seen), counters: [] };
      const r = event.reservationId ? reservations.get(event.reservationId) : undefined;
      if (event.reservationId && r?.status !== "active") {
        throw new BudgetError(
          "reservation_not_active",
          `reservation ${event.reservationId} is ${r?.status ?? "unknown"}`,
          {
            reservationId: event.reservationId,
            status: r?.status ?? null,
          },
        );
      }
      assertFits([
        ...(r?.holds ?? []).map((h) => ({ key: h.key, amounts: subtractAmounts(zeroAmounts(), h.amounts) })),
        ...increments.map((inc) => ({ key: inc.counter.key, amounts: inc.amounts })),
      ]);
      if (r) {
        giveBack(r);
        r.status = "committed";
        active.delete(r);
      }
      const stored = cloneEvent(event);
      events.push(stored);
      eventByKey.set(stored.idempotencyKey, stored);
      const touched = increments.map((inc) => {
        const c = counterFor(inc.counter);
        c.used = addAmounts(c.used, inc.amounts);
        return copy(c);
      });
      return { status: "committed", event: cloneEvent(stored), counters: touched };
    },

    async release(reservationId, status) {
      const r = reservations.get(reservationId);
      if (!r) return null;
      if (r.status === "active") {
        giveBack(r);
        r.status = status;
        active.delete(r);
      }
      return cloneReservation(r);
    },
    async getReservation(id) {
      const r = reservations.get(id);
      return r ? cloneReservation(r) : null;
    },
    async listExpiredReservations(now, limit) {
      const out: Reservation[] = [];
      for (const r of active) {
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
