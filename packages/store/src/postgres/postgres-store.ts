import type { BatchOp } from "@budget/core";
import {
  type Amounts,
  type ApiKeyRecord,
  type Budget,
  BudgetError,
  type PriceVersion,
  type Reservation,
  type SliceStatus,
  type UsageEvent,
} from "@budget/core";
import type {
  CounterHold,
  CounterIncrement,
  CounterRef,
  CounterState,
  StoreCommitResult,
  StoreReserveResult,
} from "@budget/core/store-kit";
import pg from "pg";
import { runMigrations } from "../schema/migrate.js";
import type { StoreDatabase } from "../schema/tables.js";
import { BUDGET_SQL, budgetUpsertParams, NoBudgetDeleted } from "../shared/budget-sql.js";
import { createGroupCommit } from "../shared/group-commit.js";
import { Kysely, PostgresDialect } from "../shared/kysely-runtime.js";
import { type HotPath, KyselyStoreBase } from "../shared/kysely-store-base.js";
import { priceVersionToRow } from "../shared/rows.js";
import { resolveSliceOptions, type SliceOptions } from "../shared/slice-options.js";
import { numberPlaceholders } from "../shared/sql-text.js";
import { createPostgresAtomic } from "./postgres-atomic.js";
import { ingestPostgresEvents, isBatchRetryable, runPostgresBatch } from "./postgres-batch.js";
import { mapPostgresError } from "./postgres-errors.js";
import { apiKeyChannel, listenForKeyChanges } from "./postgres-key-watch.js";
import { reclaimExpiredSlices } from "./postgres-slice-take.js";
import { createSlicer } from "./postgres-slices.js";

const BUDGET_SQL_PG = Object.fromEntries(
  Object.entries(BUDGET_SQL).map(([k, text]) => [k, numberPlaceholders(text)]),
) as Record<keyof typeof BUDGET_SQL, string>;

/** Events per ingest transaction. */
const INGEST_CHUNK = 5_000;

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** Connection URL, e.g. `postgres://budget@db:5432/budget`. */
  url: string;
  /** Schema holding the tables (created when missing). Default `public`. */
  schema?: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /**
   * `true` (default): a commit is acknowledged once flushed to the server's WAL. `false` sets
   * `synchronous_commit = off`: a server crash may lose the last acknowledged writes (never
   * corrupts), in exchange for several times the throughput on one hot budget.
   */
  synchronousCommit?: boolean;
  /**
   * Exact slices of capped limits (ADR 0010): this instance takes a share of a hot limit's
   * remainder into a counter row of its own and admits the reservations it covers there, so
   * instances do not queue on one row. Off by default.
   */
  slices?: SliceOptions;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** BIGINT and NUMERIC (sums) as bigint and string, never through a float. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return (v: string) => BigInt(v);
    if (oid === NUMERIC_OID) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * The shared store: several service instances on one PostgreSQL database enforce one truth.
 * Counters are locked in key order inside each transaction, so concurrent reservations never
 * deadlock; money is BIGINT nano-USD.
 */
export class PostgresStore extends KyselyStoreBase {
  protected readonly dialect = "postgres" as const;
  protected readonly db: Kysely<StoreDatabase>;
  protected get hot(): HotPath {
    return this.atomic;
  }

  private readonly atomic: ReturnType<typeof createPostgresAtomic>;
  /**
   * Reserve, commit and release issued together share one transaction (see `createGroupCommit`).
   * Two batches run at once, each on its own connection, exactly like the batches of two
   * instances: while one holds a hot budget's counters, the next one has already sent its reads
   * and waits for those locks inside the server. More than two measured no faster on one budget.
   */
  protected readonly batches = createGroupCommit<BatchOp>({
    runBatch: (ops) => runPostgresBatch(this.pool, ops),
    isRetryable: isBatchRetryable,
    concurrency: 2,
  });
  /** `host:port/database` of the server, for error messages (never the password). */
  readonly target: string;
  private closed = false;
  /** This instance's slices, when enabled. */
  private readonly slicer: ReturnType<typeof createSlicer> | null;

  /** Use {@link createPostgresStore}, which also migrates. */
  constructor(
    private readonly pool: pg.Pool,
    readonly options: PostgresStoreOptions & { schema: string },
  ) {
    super();
    const u = new URL(options.url);
    this.target = `${u.hostname}:${u.port || "5432"}${u.pathname}`;
    this.db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
    this.atomic = createPostgresAtomic(pool);
    const slices = resolveSliceOptions(options.slices);
    this.slicer = slices && createSlicer(pool, slices);
  }

  override reserve(reservation: Reservation, holds: CounterHold[]): Promise<StoreReserveResult> {
    const slicer = this.slicer;
    if (!slicer) return super.reserve(reservation, holds);
    return this.guard(() => slicer.reserve(reservation, holds, (r, h) => super.reserve(r, h)));
  }

  override async commit(event: UsageEvent, increments: CounterIncrement[]): Promise<StoreCommitResult> {
    if (!this.slicer) return super.commit(event, increments);
    return this.slicer.view(await super.commit(event, this.slicer.increments(event, increments)));
  }

  override async release(id: string, status: "released" | "expired"): Promise<Reservation | null> {
    this.slicer?.forget(id);
    return super.release(id, status);
  }

  /** Counters with every instance's slices folded in (exact, settled or not). */
  override getCounters(keys: string[]): Promise<CounterState[]> {
    return this.guard(() => this.atomic.getCounters(keys));
  }

  override listCounters(budgetId?: string): Promise<CounterState[]> {
    return this.guard(() => this.atomic.listCounters(budgetId));
  }

  /** Expired reservations; first, slices whose TTL passed are settled into their counters (ADR 0010). */
  override async listExpiredReservations(now: number, limit: number): Promise<Reservation[]> {
    // Slice expiry is wall-clock time (as its owner keeps it), whatever clock the engine runs on.
    await this.guard(() => reclaimExpiredSlices(this.pool, Date.now()));
    return super.listExpiredReservations(now, limit);
  }

  /** Every counter with slices out: granted, held and not yet settled (ADR 0010). */
  sliceStatus(): Promise<SliceStatus[]> {
    return this.guard(() => this.atomic.sliceStatus());
  }

  protected mapError(err: unknown): unknown {
    return mapPostgresError(err, { target: this.target });
  }

  /** Creates the schema when missing, then runs pending migrations (under Kysely's advisory lock). */
  migrate(): Promise<string[]> {
    return this.guard(async () => {
      try {
        await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.options.schema}"`);
      } catch (err) {
        // Two instances creating the schema at once: the loser sees a unique violation; the schema exists.
        if (!["23505", "42P06"].includes(String((err as { code?: unknown }).code))) throw err;
      }
      return runMigrations(this.db as Kysely<unknown>, { dialect: "postgres", schema: this.options.schema });
    });
  }

  /**
   * Bulk load of a ledger (imports, migrations): appends the events whose idempotency key is new,
   * with their hourly rollups, in transactions of 5 000 events; returns how many were new. Counters
   * are NOT touched: run the engine's `reconcile({ repair: true })` afterwards to rebuild them.
   */
  ingestEvents(events: UsageEvent[]): Promise<number> {
    return this.guard(async () => {
      let added = 0;
      for (let i = 0; i < events.length; i += INGEST_CHUNK)
        added += await ingestPostgresEvents(this.pool, events.slice(i, i + INGEST_CHUNK));
      return added;
    });
  }

  setCountersUsed(states: { counter: CounterRef; used: Amounts }[]): Promise<void> {
    return this.guard(() => this.atomic.setCountersUsed(states));
  }

  putBudget(budget: Budget): Promise<number> {
    return this.guard(() =>
      this.atomic.tx(async (c) => {
        const seq = (await c.query(BUDGET_SQL_PG.takeSeq)).rows[0]?.value;
        await c.query(BUDGET_SQL_PG.upsert, budgetUpsertParams(budget, seq));
        await c.query(BUDGET_SQL_PG.dropTombstone, [budget.id]);
        return Number(seq);
      }),
    );
  }

  deleteBudget(id: string): Promise<boolean> {
    const run = this.atomic.tx(async (c) => {
      // The sequence first (see BUDGET_SQL); rolled back when there was nothing to delete.
      const seq = (await c.query(BUDGET_SQL_PG.takeSeq)).rows[0]?.value;
      if ((await c.query(BUDGET_SQL_PG.delete, [id])).rowCount === 0) throw new NoBudgetDeleted();
      await c.query(BUDGET_SQL_PG.tombstone, [id, seq]);
      return true;
    });
    return this.guard(() =>
      run.catch((err: unknown) => (err instanceof NoBudgetDeleted ? false : Promise.reject(err))),
    );
  }

  savePriceVersions(added: PriceVersion[], closed: { id: string; effectiveTo: number }[]): Promise<void> {
    return this.guard(() =>
      this.atomic.tx(async (c) => {
        for (const v of closed) {
          const r = await c.query("UPDATE price_versions SET effective_to = $1 WHERE id = $2", [
            v.effectiveTo,
            v.id,
          ]);
          if (r.rowCount === 0)
            throw new BudgetError("not_found", `price version ${v.id} not found`, { id: v.id });
        }
        for (const v of added) {
          const r = priceVersionToRow(v);
          await c.query(
            `INSERT INTO price_versions (id, provider, model, effective_from, effective_to, source, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET provider = excluded.provider,
             model = excluded.model, effective_from = excluded.effective_from,
             effective_to = excluded.effective_to, source = excluded.source, data = excluded.data`,
            [r.id, r.provider, r.model, r.effective_from, r.effective_to, r.source, r.data],
          );
        }
      }),
    );
  }

  /** Puts the key, then tells every instance listening on this schema (see {@link watchApiKeys}). */
  override async putApiKey(key: ApiKeyRecord): Promise<void> {
    await super.putApiKey(key);
    await this.guard(() =>
      this.pool.query("SELECT pg_notify($1, $2)", [apiKeyChannel(this.options.schema), key.id]),
    );
  }

  /** Every key put by any instance on this schema, at once (LISTEN/NOTIFY on a connection of its own). */
  async watchApiKeys(listener: (keyId: string) => void): Promise<() => Promise<void>> {
    const stop = await this.guard(() =>
      listenForKeyChanges(this.options.url, apiKeyChannel(this.options.schema), listener),
    );
    this.watchers.add(stop);
    return async () => {
      this.watchers.delete(stop);
      await stop();
    };
  }

  private readonly watchers = new Set<() => Promise<void>>();

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.watchers].map((stop) => stop()));
    await this.batches.drain();
    await this.guard(async () => this.slicer?.returnAll());
    await this.db.destroy();
  }
}

/**
 * Connects to PostgreSQL, creates the schema when missing and migrates. An unreachable server is
 * `store_unavailable` naming host and port; a newer schema is `store_schema_mismatch`.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))
    throw new BudgetError("invalid_input", `invalid PostgreSQL schema name: ${schema}`);
  const settings = [`-c search_path=${schema}`];
  if (options.synchronousCommit === false) settings.push("-c synchronous_commit=off");
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    options: settings.join(" "),
    types,
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const store = new PostgresStore(pool, { ...options, schema });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}
