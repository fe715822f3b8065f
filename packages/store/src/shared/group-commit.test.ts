import { describe, expect, it } from "vitest";
import { createGroupCommit, type Settled } from "./group-commit.js";

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
});
