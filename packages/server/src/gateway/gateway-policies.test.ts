import { estimateChatRequest } from "@budget/calls/estimate";
import { afterEach, describe, expect, it } from "vitest";
import { type GatewayHarness, startGatewayHarness } from "../testing/gateway-harness.js";

let h: GatewayHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const messages = [{ role: "user", content: "Say ok." }];
const post = (g: GatewayHarness, body: unknown) =>
  fetch(`${g.url}/gateway/openai/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${g.gatewayKey}`, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const tokens = (n: number) => [
  { id: "t", limits: [{ id: "all", window: { type: "month" as const }, tokens: n }] },
];

describe("gateway: clampMaxTokens", () => {
  it("lowers the output cap to what the token limit has left, instead of denying", async () => {
    h = await startGatewayHarness({
      budgets: tokens(1000),
      gateway: { clampMaxTokens: true, minClampTokens: 100 },
    });
    const input = (await estimateChatRequest({ model: "test-model", messages })).usage.inputTokens;
    const res = await post(h, { model: "test-model", messages, max_tokens: 5000 });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-budget-clamped-max-tokens")).toBe(String(1000 - input));
    expect(h.openai.requests.at(-1)?.body.max_tokens).toBe(1000 - input);
  });

  it("clamps to what a cost limit has left too, priced exactly", async () => {
    // test-model: $1 per million input tokens, $2 per million output: $0.001 pays 500 output tokens less the input.
    h = await startGatewayHarness({
      budgets: [{ id: "c", limits: [{ id: "all", window: { type: "month" }, cost: "0.001" }] }],
      gateway: { clampMaxTokens: true, minClampTokens: 100 },
    });
    const input = (await estimateChatRequest({ model: "test-model", messages })).usage.inputTokens;
    const res = await post(h, { model: "test-model", messages, max_tokens: 5000 });
    expect(res.status).toBe(200);
    const cap = Math.floor((1_000_000 - input * 1000) / 2000);
    expect(res.headers.get("x-budget-clamped-max-tokens")).toBe(String(cap));
    expect(h.openai.requests.at(-1)?.body.max_tokens).toBe(cap);
  });

  it("still denies when what is left is below minClampTokens", async () => {
    h = await startGatewayHarness({
      budgets: tokens(150),
      gateway: { clampMaxTokens: true, minClampTokens: 200 },
    });
    const res = await post(h, { model: "test-model", messages, max_tokens: 5000 });
    expect(res.status).toBe(429);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("is off by default: the call is denied", async () => {
    h = await startGatewayHarness({ budgets: tokens(1000) });
    expect((await post(h, { model: "test-model", messages, max_tokens: 5000 })).status).toBe(429);
  });
});

describe("gateway: unparseable: forward", () => {
  it("forwards a body it cannot estimate, reserved at the default on both sides, committed from the usage", async () => {
    h = await startGatewayHarness({
      budgets: tokens(100_000),
      gateway: { unparseable: "forward", defaultMaxOutputTokens: 500 },
    });
    const reserved: number[] = [];
    h.engine.subscribe((e) => {
      if (e.type === "reservation" && e.result.status === "allowed") reserved.push(e.result.estimate.tokens);
    });
    // `messages` missing: the upstream judges the request; the gateway still budgets it.
    const res = await post(h, { model: "test-model", prompt: "legacy shape" });
    expect(res.status).toBe(200);
    expect(reserved).toEqual([1000]);
    await expect.poll(async () => (await h?.ledger())?.length).toBe(1);
    expect((await h.ledger())[0]?.usage).toMatchObject({ inputTokens: 11, outputTokens: 5 });
  });
});

describe("gateway: long and stalled streams", () => {
  it("a stream that stalls past streamIdleTimeoutMs is cut and what it showed is committed", async () => {
    h = await startGatewayHarness({ budgets: tokens(100_000), gateway: { streamIdleTimeoutMs: 150 } });
    const res = await post(h, {
      model: "test-model",
      messages: [{ role: "user", content: "[[chunks=5]] [[interval=400]]" }],
      stream: true,
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await expect.poll(async () => (await h?.ledger())?.length).toBe(1);
    const [event] = await h.ledger();
    expect(event?.dimensions.tags).toContain("estimated");
    // Cut after the role chunk, before any content: the prompt estimate and no output.
    const prompt = [{ role: "user", content: "[[chunks=5]] [[interval=400]]" }];
    expect(event?.usage).toMatchObject({
      inputTokens: (await estimateChatRequest({ model: "test-model", messages: prompt })).usage.inputTokens,
      outputTokens: 0,
    });
    expect((await h.engine.status({ budgetId: "t" }))[0]?.reserved.tokens).toBe(0);
  });

  it("a stream that outlives its reservation is recorded, not dropped", async () => {
    h = await startGatewayHarness({ budgets: tokens(100_000), gateway: { reservationTtlMs: 1000 } });
    const res = await post(h, {
      model: "test-model",
      messages: [{ role: "user", content: "[[chunks=15]] [[interval=100]]" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await h.engine.sweepExpired()).toBeGreaterThanOrEqual(1);
    expect(await res.text()).toContain('"completion_tokens":15');
    await expect.poll(async () => (await h?.ledger())?.length).toBe(1);
    const [event] = await h.ledger();
    expect(event?.usage).toMatchObject({ inputTokens: 11, outputTokens: 15 });
    expect(event?.dimensions).toMatchObject({ component: "planner", model: "test-model", provider: "test" });
    const [status] = await h.engine.status({ budgetId: "t" });
    expect(status?.used.tokens).toBe(26);
    expect(status?.reserved.tokens).toBe(0);
  });
});

describe("gateway: the output cap bounds what can be billed", () => {
  it("an uncapped request is sent with the cap it was reserved at; n choices reserve n caps", async () => {
    h = await startGatewayHarness({ budgets: tokens(100_000), gateway: { defaultMaxOutputTokens: 300 } });
    const reserved: number[] = [];
    h.engine.subscribe((e) => {
      if (e.type === "reservation" && e.result.status === "allowed") reserved.push(e.result.estimate.tokens);
    });
    const input = (await estimateChatRequest({ model: "test-model", messages })).usage.inputTokens;
    expect((await post(h, { model: "test-model", messages })).status).toBe(200);
    expect(h.openai.requests.at(-1)?.body.max_completion_tokens).toBe(300);
    expect((await post(h, { model: "test-model", messages, max_tokens: 50, n: 2 })).status).toBe(200);
    expect(h.openai.requests.at(-1)?.body).toMatchObject({ max_tokens: 50, n: 2 });
    expect(h.openai.requests.at(-1)?.body.max_completion_tokens).toBeUndefined();
    expect(reserved).toEqual([input + 300, input + 100]);
  });

  it("an upstream may take the cap as max_tokens; capOutput: false sends none", async () => {
    h = await startGatewayHarness({
      budgets: tokens(100_000),
      upstreamExtra: { chatCapField: "max_tokens" },
    });
    expect((await post(h, { model: "test-model", messages })).status).toBe(200);
    expect(h.openai.requests.at(-1)?.body.max_tokens).toBe(4096);
    await h.close();
    h = await startGatewayHarness({ budgets: tokens(100_000), gateway: { capOutput: false } });
    expect((await post(h, { model: "test-model", messages })).status).toBe(200);
    expect(h.openai.requests.at(-1)?.body).not.toHaveProperty("max_completion_tokens");
    expect(h.openai.requests.at(-1)?.body).not.toHaveProperty("max_tokens");
  });
});
