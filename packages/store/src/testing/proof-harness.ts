import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { allEvents, type Store, type UsageEvent } from "@budget/core";
import type { ProofChildConfig } from "./proof-child.js";

const CHILD = fileURLToPath(new URL("./proof-child.ts", import.meta.url));

/** A running proof child: its acknowledged keys so far, its end, and a way to kill it. */
export interface ProofChild {
  acks: string[];
  /** Resolves with the `done` line (null when killed) once the process exits. */
  done: Promise<{ allowed: number; denied: number } | null>;
  /** Resolves when at least `n` records were acknowledged. */
  acked(n: number): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** Spawns `node --conditions=@budget/source --import tsx proof-child.ts <config>` (on the sources). */
export function spawnProofChild(config: ProofChildConfig): ProofChild {
  const child = spawn(
    process.execPath,
    ["--conditions=@budget/source", "--import", "tsx", CHILD, JSON.stringify(config)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const acks: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let result: { allowed: number; denied: number } | null = null;
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const msg = JSON.parse(line) as { ack?: string; done?: { allowed: number; denied: number } };
    if (msg.ack) acks.push(msg.ack);
    if (msg.done) result = msg.done;
    for (const w of waiters.splice(0))
      if (acks.length >= w.n) w.resolve();
      else waiters.push(w);
  });
  const done = new Promise<{ allowed: number; denied: number } | null>((resolve, reject) => {
    child.on("exit", (code, signal) => {
      if (code === 0 || signal === "SIGKILL") resolve(result);
      else reject(new Error(`proof child exited with ${code ?? signal}: ${stderr}`));
    });
  });
  return {
    acks,
    done,
    acked: (n) =>
      acks.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    kill: (signal) => child.kill(signal),
  };
}

/** The whole ledger of a store, oldest first. */
export async function ledgerOf(store: Store): Promise<UsageEvent[]> {
  const events: UsageEvent[] = [];
  for await (const e of allEvents(store, {})) events.push(e);
  return events;
}
