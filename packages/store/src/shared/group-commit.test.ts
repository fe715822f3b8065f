import type { Settled } from "@budget/core";
import { describe, expect, it } from "vitest";
import { createGroupCommit } from "./group-commit.js";

type Op = { n: number; fail?: "op" | "batch" | "retry" };

/** A fake transaction log: records each batch; a `batch` op fails the whole batch it is in. */
function recorder(options: { retryOnce?: boolean } = {}) {
  const batches: number[][] = [];
  let retried = false;
  const runBatch = async (ops: readonly Op[]): Promise<Settled[]> => {
    batches.push(ops.map((o) => o.n));
    await new Promise((r) => setTimeout(r, 5));
    if (ops.some((o) => o.fail === "batch")) throw new Error("whole batch failed");
    if (options.retryOnce && !retried && ops.some((o) => o.fail === "retry")) {
      retried = true;
      throw Object.assign(new Error("deadlock"), { retry: true });
    }
    return ops.map((o) =>
      o.fail === "op" ? { ok: false, error: new Error(`op ${o.n}`) } : { ok: true, value: o.n * 10 },
    );
  };
  return { batches, runBatch };
}

describe("createGroupCommit", () => {
  it("runs ops issued together as one batch in arrival order and settles each on its own", async () => {
    const log = recorder();
    const gc = createGroupCommit<Op>({ runBatch: log.runBatch });
    const results = await Promise.allSettled([
      gc.submit({ n: 1 }),
      gc.submit({ n: 2, fail: "op" }),
      gc.submit({ n: 3 }),
    ]);
    expect(log.batches).toEqual([[1, 2, 3]]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      10,
      "op 2",
      30,
    ]);
  });

  it("acknowledges nothing before the batch's transaction returns", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const gc = createGroupCommit<Op>({
      runBatch: async (ops) => {
        await gate;
        return ops.map((o) => ({ ok: true, value: o.n }));
      },
    });
    let settled = false;
    const p = gc.submit<number>({ n: 1 }).then((v) => {
      settled = true;
      return v;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    release();
    expect(await p).toBe(1);
  });

  it("queues ops issued while a batch runs for the next one, and caps the batch size", async () => {
    const log = recorder();
    const gc = createGroupCommit<Op>({ runBatch: log.runBatch, maxBatch: 2 });
    const first = gc.submit({ n: 1 });
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4].map((n) => gc.submit({ n }));
    await Promise.all([first, ...rest]);
    expect(log.batches).toEqual([[1], [2, 3], [4]]);
  });

  it("runs a batch again on a retryable failure, and each op alone on any other", async () => {
    const log = recorder({ retryOnce: true });
    const gc = createGroupCommit<Op>({
      runBatch: log.runBatch,
      isRetryable: (err) => (err as { retry?: boolean }).retry === true,
    });
    expect(await Promise.all([gc.submit({ n: 1, fail: "retry" }), gc.submit({ n: 2 })])).toEqual([10, 20]);
    expect(log.batches).toEqual([
      [1, 2],
      [1, 2],
    ]);

    log.batches.length = 0;
    const results = await Promise.allSettled([gc.submit({ n: 3 }), gc.submit({ n: 4, fail: "batch" })]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(log.batches).toEqual([[3, 4], [3], [4]]);
    await gc.drain();
  });

  it("runs up to `concurrency` batches at once; ops keep their order within a batch, not across", async () => {
    const gates = new Map<number, () => void>();
    const started: number[][] = [];
    let running = 0;
    let most = 0;
    const gc = createGroupCommit<Op>({
      concurrency: 2,
      runBatch: async (ops) => {
        started.push(ops.map((o) => o.n));
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((r) => gates.set(ops[0]!.n, r));
        running -= 1;
        return ops.map((o) => ({ ok: true, value: o.n }));
      },
    });
    const turn = () => new Promise((r) => setImmediate(r));
    const settled: number[] = [];
    const track = (p: Promise<number>) => p.then((v) => settled.push(v));
    const first = [track(gc.submit({ n: 1 })), track(gc.submit({ n: 2 }))];
    await turn();
    const second = track(gc.submit({ n: 3 }));
    await turn();
    const third = [track(gc.submit({ n: 4 })), track(gc.submit({ n: 5 }))];
    await turn();
    // Two batches overlap; the third waits for a free runner.
    expect(started).toEqual([[1, 2], [3]]);
    gates.get(3)!();
    await second;
    // The later batch committed first; the freed runner takes the queued ops as one batch.
    expect(settled).toEqual([3]);
    await turn();
    expect(started).toEqual([[1, 2], [3], [4, 5]]);
    gates.get(1)!();
    gates.get(4)!();
    await Promise.all([...first, ...third]);
    expect(settled.slice(1).sort()).toEqual([1, 2, 4, 5]);
    expect(most).toBe(2);
    await gc.drain();
    expect(running).toBe(0);
  });

  it("drain waits for every batch running at once", async () => {
    const gc = createGroupCommit<Op>({ concurrency: 3, runBatch: recorder().runBatch });
    const done: number[] = [];
    for (const n of [1, 2, 3]) {
      void gc.submit<number>({ n }).then((v) => done.push(v));
      await new Promise((r) => setImmediate(r));
    }
    await gc.drain();
    expect(done.sort()).toEqual([10, 20, 30]);
  });
});
