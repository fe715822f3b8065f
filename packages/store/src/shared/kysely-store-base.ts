import type { BatchOp } from "@budget/core";
import {
  type Alert,
  type Amounts,
  type ApiKeyRecord,
  type Budget,
  DIMENSIONS,
  type EventQuery,
  type PendingPriceChange,
  type PriceVersion,
  type Reservation,
  type RunRecord,
  type Store,
  type UsageEvent,
  type WebhookDelivery,
} from "@budget/core";
import type {
  BudgetChanges,
  CounterHold,
  CounterIncrement,
  CounterRef,
  CounterState,
  StoreCommitResult,
  StoreReserveResult,
} from "@budget/core/store-kit";
import type { Kysely } from "kysely";
import { type RollupReportQuery, type RollupReportRow, rollupReport } from "../report/rollup-report.js";
import { DIMENSION_COLUMNS } from "../schema/columns.js";
import type { SqlDialect } from "../schema/migrations.js";
import type { StoreDatabase } from "../schema/tables.js";
import { toNumber } from "./convert.js";
import { decodeCursor, encodeCursor, pageLimit } from "./cursor.js";
import type { GroupCommit } from "./group-commit.js";
import { CompiledQuery, sql } from "./kysely-runtime.js";
import * as rows from "./rows.js";
import { numberPlaceholders, pruneSql } from "./sql-text.js";

/** The per-operation reads both SQL stores run as prepared statements (sync on SQLite, async on PostgreSQL). */
export interface HotPath {
  getCounters(keys: string[]): CounterState[] | Promise<CounterState[]>;
  getReservation(id: string): Reservation | null | Promise<Reservation | null>;
  getEventByIdempotencyKey(key: string): UsageEvent | null | Promise<UsageEvent | null>;
  listExpiredReservations(now: number, limit: number): Reservation[] | Promise<Reservation[]>;
  insertAlert(alert: Alert): boolean | Promise<boolean>;
}

/**
 * What both SQL stores share: every read and single-statement write, through Kysely. Subclasses
 * supply the multi-statement atomic operations and map driver errors to `BudgetError`s.
 */
export abstract class KyselyStoreBase implements Store {
  protected abstract readonly db: Kysely<StoreDatabase>;
  protected abstract readonly dialect: SqlDialect;
  /** Turns a driver error into a `BudgetError` naming the problem (BudgetErrors pass through). */
  protected abstract mapError(err: unknown): unknown;

  /** The group commit that runs reserve, commit and release in batched transactions. */
  protected abstract readonly batches: GroupCommit<BatchOp>;
  /** The per-operation reads and the alert insert, as prepared statements. */
  protected abstract readonly hot: HotPath;
  abstract setCountersUsed(states: { counter: CounterRef; used: Amounts }[]): Promise<void>;
  abstract savePriceVersions(
    added: PriceVersion[],
    closed: { id: string; effectiveTo: number }[],
  ): Promise<void>;
  /** Runs pending migrations (the factories already did on start); returns the names applied. */
  abstract migrate(): Promise<string[]>;
  abstract close(): Promise<void>;

  reserve(reservation: Reservation, holds: CounterHold[]): Promise<StoreReserveResult> {
    return this.guard(
      () => this.batches.submit({ kind: "reserve", reservation, holds }) as Promise<StoreReserveResult>,
    );
  }

  commit(event: UsageEvent, increments: CounterIncrement[]): Promise<StoreCommitResult> {
    return this.guard(
      () => this.batches.submit({ kind: "commit", event, increments }) as Promise<StoreCommitResult>,
    );
  }

  release(reservationId: string, status: "released" | "expired"): Promise<Reservation | null> {
    return this.guard(
      () => this.batches.submit({ kind: "release", reservationId, status }) as Promise<Reservation | null>,
    );
  }

  getCounters(keys: string[]): Promise<CounterState[]> {
    return this.guard(() => this.hot.getCounters(keys));
  }

  getReservation(id: string): Promise<Reservation | null> {
    return this.guard(() => this.hot.getReservation(id));
  }

  getEventByIdempotencyKey(key: string): Promise<UsageEvent | null> {
    return this.guard(() => this.hot.getEventByIdempotencyKey(key));
  }

  listExpiredReservations(now: number, limit: number): Promise<Reservation[]> {
    return this.guard(() => this.hot.listExpiredReservations(now, limit));
  }

  insertAlert(alert: Alert): Promise<boolean> {
    return this.guard(() => this.hot.insertAlert(alert));
  }

  /** Runs `fn`, turning driver errors into `BudgetError`s (not an async function: one hop less per op). */
  protected guard<T>(fn: () => Promise<T> | T): Promise<T> {
    try {
      const out = fn();
      return out instanceof Promise
        ? out.catch((err: unknown) => {
            throw this.mapError(err);
          })
        : Promise.resolve(out);
    } catch (err) {
      return Promise.reject(this.mapError(err));
    }
  }

  /** Stores a budget and takes the next change sequence number, in one transaction. */
  abstract putBudget(budget: Budget): Promise<number>;
  /** Deletes a budget, leaving a tombstone with the next change sequence number, in one transaction. */
  abstract deleteBudget(id: string): Promise<boolean>;

  getBudget(id: string): Promise<Budget | null> {
    return this.guard(async () => {
      const row = await this.db.selectFrom("budgets").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? rows.budgetFromRow(row) : null;
    });
  }

  listBudgets(query: { openAt?: number } = {}): Promise<Budget[]> {
    return this.guard(async () => {
      let q = this.db.selectFrom("budgets").selectAll();
      const { openAt } = query;
      if (openAt !== undefined)
        q = q.where((eb) => eb.or([eb("active_until", "is", null), eb("active_until", ">", openAt)]));
      const all = await q.orderBy("id").execute();
      return all.map(rows.budgetFromRow);
    });
  }

  budgetSeq(): Promise<number> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom("store_meta")
        .select("value")
        .where("key", "=", "budget_seq")
        .executeTakeFirst();
      return row ? toNumber(row.value) : 0;
    });
  }

  budgetChangesSince(since: number): Promise<BudgetChanges> {
    return this.guard(async () => {
      // The sequence first: every change numbered up to it is committed, so none is skipped.
      let seq = await this.budgetSeq();
      const changed = await this.db
        .selectFrom("budgets")
        .selectAll()
        .where("change_seq", ">", since)
        .execute();
      const deleted = await this.db
        .selectFrom("budget_tombstones")
        .selectAll()
        .where("change_seq", ">", since)
        .execute();
      for (const r of [...changed, ...deleted]) seq = Math.max(seq, toNumber(r.change_seq));
      return { seq, changed: changed.map(rows.budgetFromRow), deleted: deleted.map((r) => r.budget_id) };
    });
  }

  listCounters(budgetId?: string): Promise<CounterState[]> {
    return this.guard(async () => {
      let q = this.db.selectFrom("counters").selectAll();
      if (budgetId !== undefined) q = q.where("budget_id", "=", budgetId);
      const all = await q.orderBy("key").execute();
      return all.map(rows.counterFromRow);
    });
  }

  listEvents(query: EventQuery): Promise<{ events: UsageEvent[]; nextCursor: string | null }> {
    return this.guard(async () => {
      const limit = pageLimit(query.limit);
      let q = this.db.selectFrom("events").selectAll();
      if (query.from !== undefined) q = q.where("time", ">=", query.from);
      if (query.to !== undefined) q = q.where("time", "<", query.to);
      const want = query.dimensions ?? {};
      for (const d of DIMENSIONS) {
        const v = want[d];
        if (v !== undefined) q = q.where(sql.ref(DIMENSION_COLUMNS[d]), "=", v);
      }
      for (const tag of want.tags ?? []) q = q.where(this.hasTag(tag));
      const dir = query.order === "desc" ? "desc" : "asc";
      const after = dir === "desc" ? "<" : ">";
      if (query.cursor !== undefined) {
        const c = decodeCursor(query.cursor);
        q = q.where((eb) =>
          eb.or([
            eb("time", after, c.sortValue),
            eb.and([eb("time", "=", c.sortValue), eb("id", after, c.id)]),
          ]),
        );
      }
      const found = await q
        .orderBy("time", dir)
        .orderBy("id", dir)
        .limit(limit + 1)
        .execute();
      const page = found.slice(0, limit).map(rows.eventFromRow);
      const last = page[page.length - 1];
      return {
        events: page,
        nextCursor: found.length > limit && last ? encodeCursor(last.time, last.id) : null,
      };
    });
  }

  /** The alert's `data` (a JSON object) names `budgetId`. */
  private alertNamesBudget(budgetId: string) {
    return this.dialect === "sqlite"
      ? sql<boolean>`json_extract(alerts.data, '$.budgetId') = ${budgetId}`
      : sql<boolean>`(alerts.data)::jsonb ->> 'budgetId' = ${budgetId}`;
  }

  /** `tags` (a JSON array) contains `tag`. */
  private hasTag(tag: string) {
    return this.dialect === "sqlite"
      ? sql<boolean>`EXISTS (SELECT 1 FROM json_each(events.tags) WHERE json_each.value = ${tag})`
      : sql<boolean>`(events.tags)::jsonb @> ${JSON.stringify([tag])}::jsonb`;
  }

  /** Newest first. */
  listAlerts(query: { unacknowledgedOnly?: boolean; budgetId?: string; limit?: number; cursor?: string }) {
    return this.guard(async () => {
      const limit = pageLimit(query.limit);
      let q = this.db.selectFrom("alerts").selectAll();
      if (query.unacknowledgedOnly) q = q.where("acknowledged_at", "is", null);
      if (query.budgetId !== undefined) q = q.where(this.alertNamesBudget(query.budgetId));
      if (query.cursor !== undefined) {
        const c = decodeCursor(query.cursor);
        q = q.where((eb) =>
          eb.or([eb("time", "<", c.sortValue), eb.and([eb("time", "=", c.sortValue), eb("id", "<", c.id)])]),
        );
      }
      const found = await q
        .orderBy("time", "desc")
        .orderBy("id", "desc")
        .limit(limit + 1)
        .execute();
      const alerts = found.slice(0, limit).map(rows.alertFromRow);
      const last = alerts[alerts.length - 1];
      return { alerts, nextCursor: found.length > limit && last ? encodeCursor(last.time, last.id) : null };
    });
  }

  acknowledgeAlert(id: string, at: number): Promise<boolean> {
    return this.guard(async () => {
      const r = await this.db
        .updateTable("alerts")
        .set({ acknowledged_at: at })
        .where("id", "=", id)
        .where("acknowledged_at", "is", null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }

  listPriceVersions(query: { provider?: string; model?: string } = {}): Promise<PriceVersion[]> {
    return this.guard(async () => {
      let q = this.db.selectFrom("price_versions").selectAll();
      if (query.provider !== undefined) q = q.where("provider", "=", query.provider);
      if (query.model !== undefined) q = q.where("model", "=", query.model);
      const all = await q
        .orderBy("provider")
        .orderBy("model")
        .orderBy("effective_from")
        .orderBy("id")
        .execute();
      return all.map(rows.priceVersionFromRow);
    });
  }

  savePendingPriceChange(change: PendingPriceChange): Promise<void> {
    const row = rows.pendingToRow(change);
    return this.guard(async () => {
      const { id: _id, ...rest } = row;
      await this.db
        .insertInto("pending_price_changes")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(rest))
        .execute();
    });
  }

  listPendingPriceChanges(query: { status?: PendingPriceChange["status"] } = {}) {
    return this.guard(async () => {
      let q = this.db.selectFrom("pending_price_changes").selectAll();
      if (query.status !== undefined) q = q.where("status", "=", query.status);
      const all = await q.orderBy("created_at").orderBy("id").execute();
      return all.map(rows.pendingFromRow);
    });
  }

  decidePendingPriceChange(id: string, status: "approved" | "rejected", decidedAt: number) {
    return this.guard(async () => {
      const r = await this.db
        .updateTable("pending_price_changes")
        .set({ status, decided_at: decidedAt })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }

  putApiKey(key: ApiKeyRecord): Promise<void> {
    const row = { id: key.id, hash: key.hash, data: JSON.stringify(key), created_at: key.createdAt };
    return this.guard(async () => {
      await this.db
        .insertInto("api_keys")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet({ hash: row.hash, data: row.data }))
        .execute();
    });
  }

  listApiKeys(): Promise<ApiKeyRecord[]> {
    return this.guard(async () => {
      const found = await this.db
        .selectFrom("api_keys")
        .select("data")
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return found.map((r) => JSON.parse(r.data) as ApiKeyRecord);
    });
  }

  getApiKeyByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom("api_keys")
        .select("data")
        .where("hash", "=", hash)
        .executeTakeFirst();
      return row ? (JSON.parse(row.data) as ApiKeyRecord) : null;
    });
  }

  saveWebhookDeliveries(deliveries: WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return Promise.resolve();
    const values = deliveries.map((d) => ({
      id: d.id,
      webhook: d.webhook,
      type: d.type,
      body: d.body,
      created_at: d.createdAt,
    }));
    return this.guard(async () => {
      await this.db
        .insertInto("webhook_outbox")
        .values(values)
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    });
  }

  deleteWebhookDelivery(id: string): Promise<void> {
    return this.guard(async () => {
      await this.db.deleteFrom("webhook_outbox").where("id", "=", id).execute();
    });
  }

  listWebhookDeliveries(): Promise<WebhookDelivery[]> {
    return this.guard(async () => {
      const found = await this.db
        .selectFrom("webhook_outbox")
        .selectAll()
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return found.map((r) => ({
        id: r.id,
        webhook: r.webhook,
        type: r.type,
        body: r.body,
        createdAt: toNumber(r.created_at),
      }));
    });
  }

  putRun(run: RunRecord): Promise<void> {
    const row = rows.runToRow(run);
    return this.guard(async () => {
      const { id: _id, ...rest } = row;
      await this.db
        .insertInto("runs")
        .values(row)
        .onConflict((oc) => oc.column("id").doUpdateSet(rest))
        .execute();
    });
  }

  getRun(id: string): Promise<RunRecord | null> {
    return this.guard(async () => {
      const row = await this.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? rows.runFromRow(row) : null;
    });
  }

  /** Newest first (by start time). */
  listRuns(query: { limit?: number; cursor?: string } = {}) {
    return this.guard(async () => {
      const limit = pageLimit(query.limit);
      let q = this.db.selectFrom("runs").selectAll();
      if (query.cursor !== undefined) {
        const c = decodeCursor(query.cursor);
        q = q.where((eb) =>
          eb.or([
            eb("started_at", "<", c.sortValue),
            eb.and([eb("started_at", "=", c.sortValue), eb("id", ">", c.id)]),
          ]),
        );
      }
      const found = await q
        .orderBy("started_at", "desc")
        .orderBy("id")
        .limit(limit + 1)
        .execute();
      const runs = found.slice(0, limit).map(rows.runFromRow);
      const last = runs[runs.length - 1];
      return {
        runs,
        nextCursor: found.length > limit && last ? encodeCursor(last.startedAt, last.id) : null,
      };
    });
  }

  /**
   * Deletes raw events older than `before` (epoch ms) and the settled reservations created before
   * it, and records `before` as the retention horizon ({@link eventsPrunedBefore}); hourly rollups
   * and counters stay, so reports and limits are unaffected. Returns the number of events deleted.
   */
  pruneEvents(before: number): Promise<number> {
    const text = pruneSql(this.dialect);
    return this.guard(() =>
      this.db.transaction().execute(async (trx) => {
        const run = (q: string) => trx.executeQuery(CompiledQuery.raw(numberPlaceholders(q), [before]));
        const deleted = await run(text.deleteEvents);
        await run(text.raiseHorizon);
        await run(text.deleteSettledReservations);
        return toNumber(deleted.numAffectedRows ?? 0);
      }),
    );
  }

  eventsPrunedBefore(): Promise<number | null> {
    return this.guard(async () => {
      const row = await this.db
        .selectFrom("store_meta")
        .select("value")
        .where("key", "=", "events_pruned_before")
        .executeTakeFirst();
      return row ? toNumber(row.value) : null;
    });
  }

  /** Usage totals per time bucket and dimensions, read from the hourly rollups. */
  rollupReport(query: RollupReportQuery): Promise<RollupReportRow[]> {
    return this.guard(() => rollupReport(this.db, query));
  }
}
