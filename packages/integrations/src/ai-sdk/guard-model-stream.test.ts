import { createOutputTally, heuristicTokenCount } from "@budget/calls/estimate";
import { describe, expect, it } from "vitest";
import { guardModelStream } from "./guard-model-stream.js";

const finish = {
  type: "finish",
  usage: { inputTokens: { total: 5, noCache: 5 }, outputTokens: { total: 2 } },
};
const text = (delta: string) => ({ type: "text-delta", id: "t", delta });

function source(parts: { type: string }[]) {
  return new ReadableStream<{ type: string }>({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

function recorder() {
  const settled: unknown[] = [];
  const output = createOutputTally({ method: "heuristic", count: heuristicTokenCount });
  return { settled, output, hooks: { output, settled: async (u: unknown) => void settled.push(u) } };
}

async function drain(stream: ReadableStream) {
  const reader = stream.getReader();
  while (!(await reader.read()).done);
}

describe("guardModelStream", () => {
  it("settles once with the finish part's usage, or null without one", async () => {
    const a = recorder();
    await drain(guardModelStream(source([text("hi"), finish]), a.hooks));
    expect(a.settled).toHaveLength(1);
    expect(a.settled[0]).toMatchObject({ usage: { inputTokens: 5, outputTokens: 2 } });
    const b = recorder();
    await drain(guardModelStream(source([text("hi")]), b.hooks));
    expect(b.settled).toEqual([null]);
  });

  it("counts text, reasoning and tool input, a streamed tool input once", async () => {
    const a = recorder();
    const parts = [
      text("Hello there"),
      { type: "reasoning-delta", id: "r", delta: "think" },
      { type: "tool-input-delta", id: "c1", delta: '{"q":' },
      { type: "tool-input-delta", id: "c1", delta: '"x"}' },
      { type: "tool-call", toolCallId: "c1", toolName: "f", input: '{"q":"x"}' },
      { type: "tool-call", toolCallId: "c2", toolName: "g", input: "{}" },
    ];
    await drain(guardModelStream(source(parts), a.hooks));
    const out = heuristicTokenCount('Hello there{"q":"x"}{}');
    expect(a.output.usage({ inputTokens: 9 })).toEqual({
      inputTokens: 9,
      outputTokens: out + heuristicTokenCount("think"),
      reasoningTokens: heuristicTokenCount("think"),
    });
  });

  it("a consumer's cancel settles without usage before the finish part, with it after", async () => {
    const a = recorder();
    const early = guardModelStream(source([text("hi"), finish]), a.hooks).getReader();
    await early.read();
    await early.cancel();
    expect(a.settled).toEqual([null]);
    const b = recorder();
    const late = guardModelStream(source([text("hi"), finish, { type: "raw" }]), b.hooks).getReader();
    await late.read();
    await late.read();
    await late.cancel();
    expect(b.settled).toHaveLength(1);
    expect(b.settled[0]).toMatchObject({ usage: { outputTokens: 2 } });
  });

  it("a source error settles without usage and reaches the consumer", async () => {
    const a = recorder();
    const failing = new ReadableStream({
      pull(c) {
        c.error(new Error("reset"));
      },
    });
    await expect(guardModelStream(failing, a.hooks).getReader().read()).rejects.toThrow("reset");
    expect(a.settled).toEqual([null]);
  });
});
