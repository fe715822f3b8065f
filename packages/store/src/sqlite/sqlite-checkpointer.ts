import { createRequire } from "node:module";

/**
 * The worker's code, plain CommonJS (no TypeScript loader needed in the thread): its own connection
 * to the file runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs`. A passive checkpoint never
 * waits for or blocks writers; it copies what the WAL holds into the database file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
let failures = 0;
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)"); // never waits: a busy database just reports it
    failures = 0;
  } catch (err) {
    if (++failures >= workerData.maxFailures) throw err; // the thread dies: the writer checkpoints again
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A running background checkpointer; `stop` ends it (the thread closes its connection). */
export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the writing thread: the caller turns `wal_autocheckpoint` off on its
 * own connection, and a worker thread checkpoints every `intervalMs` instead. A checkpoint run by
 * the writer (SQLite's default, once the WAL passes its threshold) stalls every write behind it
 * for tens of milliseconds — what set the service's p99 latency. Calls `onFailure` if the thread
 * dies, so the caller can turn automatic checkpoints back on.
 */
export function startCheckpointer(
  file: string,
  intervalMs: number,
  onFailure: (err: unknown) => void,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  // Node's worker_threads loads here: a store opened without a checkpoint thread (a `budget`
  // command) never pays for it.
  const { Worker } = process.getBuiltinModule("node:worker_threads");
  // Failing for ~10 s in a row (say the disk is full) ends the thread, and `onFailure` runs.
  const maxFailures = Math.max(1, Math.ceil(10_000 / intervalMs));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, driver, maxFailures },
  });
  worker.unref();
  let stopping = false;
  let error: unknown = null;
  worker.on("error", (err) => {
    error = err;
  });
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", (code) => {
      if (!stopping) onFailure(error ?? new Error(`checkpoint thread exited with code ${code}`));
      resolve();
    });
  });
  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        worker.ref(); // the process waits for the thread to close its connection
        worker.postMessage("stop");
      }
      await exited;
    },
  };
}
