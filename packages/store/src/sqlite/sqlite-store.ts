import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { BatchOp } from "@budget/core";
import { type Amounts, type Budget, BudgetError, type PriceVersion, type UsageEvent } from "@budget/core";
import type { CounterRef } from "@budget/core/store-kit";
import Database from "better-sqlite3";
import { runMigrations } from "../schema/migrate.js";
import type { StoreDatabase } from "../schema/tables.js";
import { BUDGET_SQL, budgetUpsertParams } from "../shared/budget-sql.js";
import { createGroupCommit } from "../shared/group-commit.js";
import { Kysely, SqliteDialect } from "../shared/kysely-runtime.js";
import { type HotPath, KyselyStoreBase } from "../shared/kysely-store-base.js";
import { priceVersionToRow } from "../shared/rows.js";
import { createSqliteAtomic } from "./sqlite-atomic.js";
import { type Checkpointer, startCheckpointer } from "./sqlite-checkpointer.js";
import { mapSqliteError } from "./sqlite-errors.js";

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file; its folder is created. Default `./data/budget.db`. */
  file?: string;
  /** How long a write waits for another connection's lock before `store_unavailable`. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * Raw events and settled reservations older than this are removed by
   * {@link SqliteStore.pruneExpiredEvents}; rollups stay.
   */
  eventRetentionDays?: number;
  /**
   * `normal` (default): in WAL mode every acknowledged write survives a crash of the process;
   * a power loss may lose the last transactions (never corrupts). `full`: fsync on every commit.
   */
  synchronous?: "normal" | "full";
  /**
   * WAL checkpoints run on a background thread (its own connection) every this many ms, so
   * writes never wait for one. Default 200; 0 leaves them to SQLite, on the writing connection.
   */
  checkpointIntervalMs?: number;
}

/**
 * The embedded store: one SQLite file in WAL mode, shared safely by several processes (writes
 * take the lock up front with `BEGIN IMMEDIATE`). Money columns are INTEGER nano-USD read back as
 * bigint.
 */
export class SqliteStore extends KyselyStoreBase {
  protected readonly dialect = "sqlite" as const;
  protected readonly db: Kysely<StoreDatabase>;
  private prepared: ReturnType<typeof createSqliteAtomic> | null = null;
  /** Reserve, commit and release issued together share one transaction (see `createGroupCommit`). */
  protected readonly batches = createGroupCommit<BatchOp>({
    runBatch: (ops) => {
      this.checkpointer ??= this.startCheckpoints();
      return this.atomic.runBatch(ops);
    },
  });
  private closed = false;
  private budgetStmts: Record<keyof typeof BUDGET_SQL, Database.Statement> | null = null;
  /** Started by the first write batch: a store that only reads (a CLI command) needs no thread. */
  private checkpointer: Checkpointer | null = null;

  /** Use {@link createSqliteStore}, which also migrates. */
  constructor(
    private readonly sqlite: Database.Database,
    readonly options: Required<Pick<SqliteStoreOptions, "file" | "busyTimeoutMs">> & SqliteStoreOptions,
  ) {
    super();
    this.db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  }

  /** Statements are prepared on first use: they need the migrated tables. */
  protected get hot(): HotPath {
    return this.atomic;
  }

  private get atomic(): ReturnType<typeof createSqliteAtomic> {
    this.prepared ??= createSqliteAtomic(this.sqlite);
    return this.prepared;
  }

  protected mapError(err: unknown): unknown {
    return mapSqliteError(err, this.options);
  }

  async migrate(): Promise<string[]> {
    return this.guard(() => migrateWithRetry(this.db));
  }

  /**
   * Bulk load of a ledger (imports, migrations): appends the events whose idempotency key is new,
   * with their hourly rollups, in large transactions; returns how many were new. Counters are NOT
   * touched: run the engine's `reconcile({ repair: true })` afterwards to rebuild them from the
   * ledger.
   */
  ingestEvents(events: UsageEvent[]): Promise<number> {
    this.checkpointer ??= this.startCheckpoints();
    return this.guard(() => this.atomic.ingestEvents(events));
  }

  setCountersUsed(states: { counter: CounterRef; used: Amounts }[]): Promise<void> {
    return this.guard(() => this.atomic.setCountersUsed(states));
  }

  putBudget(budget: Budget): Promise<number> {
    return this.guard(() => {
      const st = this.budgetStatements();
      return this.sqlite
        .transaction(() => {
          const seq = st.takeSeq.get() as bigint;
          st.upsert.run(...budgetUpsertParams(budget, seq));
          st.dropTombstone.run(budget.id);
          return Number(seq);
        })
        .immediate();
    });
  }

  deleteBudget(id: string): Promise<boolean> {
    return this.guard(() => {
      const st = this.budgetStatements();
      return this.sqlite
        .transaction(() => {
          if (st.delete.run(id).changes === 0) return false;
          st.tombstone.run(id, st.takeSeq.get() as bigint);
          return true;
        })
        .immediate();
    });
  }

  private budgetStatements() {
    this.budgetStmts ??= {
      takeSeq: this.sqlite.prepare(BUDGET_SQL.takeSeq).pluck(),
      upsert: this.sqlite.prepare(BUDGET_SQL.upsert),
      dropTombstone: this.sqlite.prepare(BUDGET_SQL.dropTombstone),
      delete: this.sqlite.prepare(BUDGET_SQL.delete),
      tombstone: this.sqlite.prepare(BUDGET_SQL.tombstone),
    };
    return this.budgetStmts;
  }

  savePriceVersions(added: PriceVersion[], closed: { id: string; effectiveTo: number }[]): Promise<void> {
    return this.guard(() => {
      const close = this.sqlite.prepare("UPDATE price_versions SET effective_to = ? WHERE id = ?");
      const insert = this.sqlite.prepare(
        `INSERT INTO price_versions (id, provider, model, effective_from, effective_to, source, data)
         VALUES (@id, @provider, @model, @effective_from, @effective_to, @source, @data)
         ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, model = excluded.model,
           effective_from = excluded.effective_from, effective_to = excluded.effective_to,
           source = excluded.source, data = excluded.data`,
      );
      this.sqlite
        .transaction(() => {
          for (const c of closed)
            if (close.run(c.effectiveTo, c.id).changes === 0)
              throw new BudgetError("not_found", `price version ${c.id} not found`, { id: c.id });
          for (const v of added) insert.run(priceVersionToRow(v));
        })
        .immediate();
    });
  }

  /**
   * Retention as one synchronous transaction: a Kysely transaction on this one connection could
   * interleave with group-commit batches.
   */
  override pruneEvents(before: number): Promise<number> {
    return this.guard(() => this.atomic.pruneEvents(before));
  }

  /** Applies `eventRetentionDays` (no-op without it); returns the number of events removed. */
  pruneExpiredEvents(now: number = Date.now()): Promise<number> {
    const days = this.options.eventRetentionDays;
    return days === undefined ? Promise.resolve(0) : this.pruneEvents(now - days * 86_400_000);
  }

  /**
   * Takes checkpoints off this connection (see `startCheckpointer`), unless disabled; if the thread
   * fails, SQLite's automatic checkpoints come back, so the WAL never grows without bound.
   */
  private startCheckpoints(): Checkpointer {
    const interval = this.options.checkpointIntervalMs ?? 200;
    if (this.options.file === ":memory:" || interval <= 0) return { stop: async () => {} };
    this.sqlite.pragma("wal_autocheckpoint = 0");
    return startCheckpointer(this.options.file, interval, () => {
      if (!this.closed) this.sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.batches.drain();
    await this.checkpointer?.stop();
    await this.db.destroy();
  }
}

/**
 * WAL pages after which the writing connection checkpoints, when no background thread does: ~40 MB
 * instead of SQLite's ~4 MB, as a checkpoint stalls writers (and fsyncs).
 */
const AUTOCHECKPOINT_PAGES = 10_000;

/**
 * better-sqlite3's addon where its install builds it, loaded by path: without it, the package's
 * `bindings` lookup tries a dozen paths with stats and reads (~20 % of `node -e 0`, paid by every
 * local `budget` command). Elsewhere (a prebuilt layout of another version), `bindings` finds it.
 */
let addonPath: string | null | undefined;
function nativeBinding(): { nativeBinding?: string } {
  if (addonPath === undefined) {
    const dir = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"));
    const path = join(dir, "build", "Release", "better_sqlite3.node");
    addonPath = existsSync(path) ? path : null;
  }
  return addonPath ? { nativeBinding: addonPath } : {};
}

/** Opens (creating the folder and file), configures WAL and migrates a SQLite store. */
export async function createSqliteStore(options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const file = options.file ?? "./data/budget.db";
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const ctx = { file, busyTimeoutMs };
  let sqlite: Database.Database;
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file, { timeout: busyTimeoutMs, ...nativeBinding() });
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
    sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    sqlite.defaultSafeIntegers(true);
  } catch (err) {
    throw mapSqliteError(err, ctx);
  }
  const store = new SqliteStore(sqlite, { ...options, file, busyTimeoutMs });
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}

/**
 * Several processes may open a new file at once: SQLite runs each migration in a transaction, so
 * the loser of that race fails cleanly (busy or "already exists") and, retried, finds the work done.
 */
async function migrateWithRetry(db: Kysely<StoreDatabase>): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runMigrations(db as Kysely<unknown>, { dialect: "sqlite" });
    } catch (err) {
      const code = String((err as { code?: unknown })?.code ?? "");
      const racing = code.startsWith("SQLITE_BUSY") || /already exists/.test(String(err));
      if (!racing || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}
