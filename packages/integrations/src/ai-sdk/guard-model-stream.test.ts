import { describe, expect, it } from "vitest";
import { guardModelStream } from "./guard-model-stream.js";

const finish = {
  type: "finish",
  usage: { inputTokens: { total: 5, noCache: 5 }, outputTokens: { total: 2 } },
};

function source(parts: { type: string }[]) {
  return new ReadableStream<{ type: string }>({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    hooks: {
      finished: async (u: unknown) => {
        calls.push(`finished:${JSON.stringify(u)}`);
      },
      abandoned: async () => {
        calls.push("abandoned");
      },
    },
  };
}

describe("guardModelStream", () => {
  it("reports finished once with the finish part's usage, or abandoned without one", async () => {
    const a = recorder();
    const reader = guardModelStream(source([{ type: "text-delta" }, finish]), a.hooks).getReader();
    while (!(await reader.read()).done);
    expect(a.calls).toHaveLength(1);
    expect(JSON.parse(a.calls[0]!.slice("finished:".length))).toMatchObject({
      inputTokens: 5,
      outputTokens: 2,
    });
    const b = recorder();
    const r2 = guardModelStream(source([{ type: "text-delta" }]), b.hooks).getReader();
    while (!(await r2.read()).done);
    expect(b.calls).toEqual(["abandoned"]);
  });

  it("a consumer's cancel abandons before the finish part and finishes after it", async () => {
    const a = recorder();
    const early = guardModelStream(source([{ type: "text-delta" }, finish]), a.hooks).getReader();
    await early.read();
    await early.cancel();
    expect(a.calls).toEqual(["abandoned"]);
    const b = recorder();
    const late = guardModelStream(
      source([{ type: "text-delta" }, finish, { type: "raw" }]),
      b.hooks,
    ).getReader();
    await late.read();
    await late.read();
    await late.cancel();
    expect(b.calls).toHaveLength(1);
    expect(b.calls[0]).toMatch(/^finished:/);
  });

  it("a source error abandons and reaches the consumer", async () => {
    const a = recorder();
    const failing = new ReadableStream({
      pull(c) {
        c.error(new Error("reset"));
      },
    });
    await expect(guardModelStream(failing, a.hooks).getReader().read()).rejects.toThrow("reset");
    expect(a.calls).toEqual(["abandoned"]);
  });
});
