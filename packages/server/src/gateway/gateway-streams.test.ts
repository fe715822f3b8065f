import { estimateChatRequest, heuristicTokenCount } from "@budget/calls/estimate";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANTHROPIC_UPSTREAM_KEY,
  type GatewayHarness,
  OPENAI_UPSTREAM_KEY,
  startGatewayHarness,
} from "../testing/gateway-harness.js";

let h: GatewayHarness;
let openai: OpenAI;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
    upstream: { chunkIntervalMs: 2 },
  });
  openai = new OpenAI({ baseURL: `${h.url}/gateway/openai/v1`, apiKey: h.gatewayKey, maxRetries: 0 });
});
afterAll(() => h.close());

const ask = (directive: string) => [{ role: "user" as const, content: `Say ok. ${directive}` }];
/** The reservation's prompt estimate of a request (what an estimated commit records as input). */
const promptEstimate = async (directive: string) =>
  (await estimateChatRequest({ model: "test-model", messages: ask(directive) })).usage.inputTokens;
const newEvent = async (before: number) => {
  await expect.poll(async () => (await h.ledger()).length, { timeout: 3000 }).toBe(before + 1);
  return (await h.ledger()).at(-1);
};
const reservedTokens = async () => (await h.engine.status({ budgetId: "team" }))[0]?.reserved.tokens;

describe("gateway: streams that end badly are still committed", () => {
  it("an upstream that breaks off mid-stream: the caller's stream fails, the prompt and output seen are committed", async () => {
    const before = (await h.ledger()).length;
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages: ask("[[drop=3]]"),
      stream: true,
    });
    let text = "";
    await expect(
      (async () => {
        for await (const c of stream) text += c.choices[0]?.delta.content ?? "";
      })(),
    ).rejects.toThrow();
    expect(text).toBe("ok ok ");
    const event = await newEvent(before);
    expect(event?.usage).toMatchObject({
      inputTokens: await promptEstimate("[[drop=3]]"),
      outputTokens: heuristicTokenCount("ok ok "),
    });
    expect(event?.dimensions.tags).toContain("estimated");
    expect(await reservedTokens()).toBe(0);
  });

  it("a caller that aborts a slow stream: the upstream request is cut, what was seen is committed", async () => {
    const before = (await h.ledger()).length;
    const disconnects = h.openai.disconnects;
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages: ask("[[chunks=50]] [[interval=20]]"),
      stream: true,
    });
    let text = "";
    for await (const c of stream) {
      text += c.choices[0]?.delta.content ?? "";
      if (text === "ok ok ok ") stream.controller.abort();
    }
    const event = await newEvent(before);
    // What the gateway relayed: the 3 chunks the caller read, and any in flight when it left.
    const output = event?.usage.outputTokens ?? 0;
    expect(output).toBeGreaterThanOrEqual(heuristicTokenCount("ok ok ok "));
    expect(output).toBeLessThan(heuristicTokenCount("ok ".repeat(50)));
    expect(event?.dimensions.tags).toContain("estimated");
    await expect.poll(() => h.openai.disconnects).toBe(disconnects + 1);
  });

  it("a stream without usage: its whole output is counted", async () => {
    const before = (await h.ledger()).length;
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages: ask("[[nousage]]"),
      stream: true,
    });
    for await (const _ of stream);
    const event = await newEvent(before);
    expect(event?.usage.outputTokens).toBe(heuristicTokenCount("ok ok ok ok ok "));
  });

  it("a plain call whose caller leaves early runs to its end and commits the reported usage", async () => {
    const before = (await h.ledger()).length;
    const forwarded = h.openai.requests.length;
    const ac = new AbortController();
    const pending = fetch(`${h.url}/gateway/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.gatewayKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "test-model", messages: ask("[[latency=300]]") }),
      signal: ac.signal,
    });
    pending.catch(() => {});
    // The caller leaves once the upstream has the request (however long the reservation took).
    await expect.poll(() => h.openai.requests.length, { interval: 2 }).toBe(forwarded + 1);
    ac.abort();
    await expect(pending).rejects.toThrow();
    const event = await newEvent(before);
    expect(event?.usage).toMatchObject({ inputTokens: 11, outputTokens: 5 });
    expect(event?.dimensions.tags).not.toContain("estimated");
  });
});

describe("gateway: upstream failures", () => {
  it("an upstream 503 passes through, the hold is released, an echoed upstream key is redacted", async () => {
    const before = (await h.ledger()).length;
    const err = await openai.chat.completions
      .create({ model: "test-model", messages: ask("[[fail=503]]") })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as Error).message).toContain("key was [redacted]");
    expect((err as Error).message).not.toContain(OPENAI_UPSTREAM_KEY);
    await expect.poll(reservedTokens).toBe(0);
    expect((await h.ledger()).length).toBe(before);
  });

  it("an upstream that does not answer: 502 in the dialect, the hold released", async () => {
    const down = await startGatewayHarness({
      gateway: {
        upstreams: [
          {
            id: "openai",
            api: "openai",
            baseUrl: "http://127.0.0.1:9/v1",
            apiKey: OPENAI_UPSTREAM_KEY,
            provider: "test",
          },
        ],
      },
      budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 100_000 }] }],
    });
    try {
      const res = await fetch(`${down.url}/gateway/openai/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${down.gatewayKey}` },
        body: JSON.stringify({ model: "test-model", messages: ask("") }),
      });
      expect(res.status).toBe(502);
      const text = await res.text();
      expect(JSON.parse(text).error.code).toBe("upstream_unavailable");
      expect(text).not.toContain(OPENAI_UPSTREAM_KEY);
      await expect
        .poll(async () => (await down.engine.status({ budgetId: "team" }))[0]?.reserved.tokens)
        .toBe(0);
      expect(down.logs.join("")).toContain("upstream unavailable");
      expect(down.logs.join("")).not.toContain(OPENAI_UPSTREAM_KEY);
    } finally {
      await down.close();
    }
  });

  it("the upstream keys never appear in a log line", () => {
    const logs = h.logs.join("");
    expect(logs).not.toContain(OPENAI_UPSTREAM_KEY);
    expect(logs).not.toContain(ANTHROPIC_UPSTREAM_KEY);
  });
});
