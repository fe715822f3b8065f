import type { Settled } from "@budget/core";

/** How a store runs one batch; see {@link createGroupCommit}. */
export interface GroupCommitOptions<Op> {
  /**
   * Runs `ops` in ONE transaction, in order, and returns (or resolves to) one outcome per op only
   * after COMMIT succeeded. An op that throws must leave no trace (its own savepoint, or no write
   * before its last possible throw) and becomes `{ ok: false }`. Throws when the transaction as a
   * whole fails: then nothing of the batch is committed.
   */
  runBatch(ops: readonly Op[]): Settled[] | Promise<Settled[]>;
  /** Whole-batch failures worth running the batch again (deadlock, serialization, a lost race). */
  isRetryable?(err: unknown): boolean;
  /** Most ops per transaction. Default 256. */
  maxBatch?: number;
  /** Runs of one batch before its ops fail with the last error. Default 8. */
  maxAttempts?: number;
  /**
   * Most batches running at once. Default 1. More overlaps one batch's round trips with another's
   * (a pooled, locking store like PostgreSQL); a synchronous `runBatch` gains nothing from it.
   */
  concurrency?: number;
}

/** Queues operations and commits those issued together in one transaction. */
export interface GroupCommit<Op> {
  /** Queues `op`; resolves with its value (or rejects with its error) once its batch committed. */
  submit<R>(op: Op): Promise<R>;
  /** Resolves once every op submitted so far has settled. */
  drain(): Promise<void>;
}

interface Pending<Op> {
  op: Op;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/**
 * Group commit: operations submitted in the same turn of the event loop are queued and flushed on
 * `setImmediate` as one transaction (at most `maxBatch` ops); while `concurrency` batches run, new
 * ops queue for the next. Per-transaction costs (lock, WAL write, round trips) are paid once per
 * batch instead of once per op, and nothing is acknowledged before its batch's COMMIT. Ops run in
 * arrival order within a batch, so a batch means exactly what running its ops one after another
 * would. Batches running at once commit in any order, like the batches of separate store
 * instances: an op submitted after another one settled always runs after it, while ops merely
 * submitted one after the other (none awaited) may commit in either order.
 *
 * A batch that fails as a whole is run again when `isRetryable`; otherwise each of its ops is run
 * alone, so one bad op (say a constraint violation) fails only its own promise.
 */
export function createGroupCommit<Op>(options: GroupCommitOptions<Op>): GroupCommit<Op> {
  const maxBatch = options.maxBatch ?? 256;
  const maxAttempts = options.maxAttempts ?? 8;
  const retryable = options.isRetryable ?? (() => false);
  const concurrency = options.concurrency ?? 1;
  let queue: Pending<Op>[] = [];
  let scheduled = false;
  let running = 0;
  let idle: (() => void)[] = [];

  async function attempt(batch: Pending<Op>[]): Promise<Settled[]> {
    const ops = batch.map((p) => p.op);
    for (let n = 1; ; n++) {
      try {
        return await options.runBatch(ops);
      } catch (err) {
        if (!retryable(err) || n >= maxAttempts) throw err;
        // Jittered backoff: competing instances stop colliding on the same locks.
        await new Promise((r) => setTimeout(r, Math.random() * 2 ** n));
      }
    }
  }

  /** Commits `batch`, settling each op; a batch that fails as a whole is run op by op. */
  async function commit(batch: Pending<Op>[]): Promise<void> {
    try {
      const outcomes = await attempt(batch);
      for (const [i, o] of outcomes.entries()) {
        if (o.ok) batch[i]!.resolve(o.value);
        else batch[i]!.reject(o.error);
      }
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else
        for (const p of batch) {
          try {
            const [o] = await attempt([p]);
            if (o?.ok) p.resolve(o.value);
            else p.reject(o ? o.error : err);
          } catch (alone) {
            p.reject(alone);
          }
        }
    }
  }

  /** One runner: takes the next batch off the queue until it is empty. */
  async function run(): Promise<void> {
    running += 1;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await commit(batch);
      }
    } finally {
      running -= 1;
      wakeIdle();
    }
  }

  function flush(): void {
    scheduled = false;
    while (running < concurrency && queue.length > 0) void run();
    wakeIdle();
  }

  /** Resolves the `drain` callers once nothing is queued, scheduled or running. */
  function wakeIdle(): void {
    if (running > 0 || scheduled || queue.length > 0) return;
    const waiting = idle;
    idle = [];
    for (const w of waiting) w();
  }

  return {
    submit<R>(op: Op): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled && running < concurrency) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    drain(): Promise<void> {
      if (queue.length === 0 && running === 0 && !scheduled) return Promise.resolve();
      return new Promise((r) => idle.push(r));
    },
  };
}
