import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * The worker's code, plain CommonJS (no TypeScript loader needed in the thread): its own connection
 * to the file runs `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs`. A passive checkpoint never
 * waits for or blocks writers; it copies what the WAL holds into the database file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} // busy or failing: the next tick tries again
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
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver } });
  worker.unref();
  let stopping = false;
  worker.on("error", (err) => {
    if (!stopping) onFailure(err);
  });
  worker.on("exit", (code) => {
    if (!stopping) onFailure(new Error(`checkpoint thread exited with code ${code}`));
  });
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise((r) => worker.once("exit", r));
      worker.ref(); // the process waits for the thread to close its connection
      worker.postMessage("stop");
      await exited;
    },
  };
}
