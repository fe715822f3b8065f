import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, OPENAI_UPSTREAM_KEY, startGatewayHarness } from "../testing/gateway-harness.js";

let h: GatewayHarness;
let openai: OpenAI;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
  });
  openai = new OpenAI({ baseURL: `${h.url}/gateway/openai/v1`, apiKey: h.gatewayKey, maxRetries: 0 });
});
afterAll(() => h.close());

const messages = [{ role: "user" as const, content: "Say ok." }];
const last = () => h.openai.requests.at(-1);

describe("gateway: the openai SDK pointed at /gateway/openai/v1", () => {
  it("chat: forwards with the upstream key, commits the reported usage, adds x-budget headers", async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: "test-model", messages, max_tokens: 50 })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("ok ok ok ok ok ");
    expect(last()?.headers.authorization).toBe(`Bearer ${OPENAI_UPSTREAM_KEY}`);
    expect(JSON.stringify(last()?.headers)).not.toContain(h.gatewayKey);
    expect(response.headers.get("x-budget-reservation-id")).toMatch(/^res_/);
    expect(Number(response.headers.get("x-budget-remaining-tokens"))).toBeLessThan(1_000_000);
    expect(response.headers.get("x-request-id")).toBe("req_fake");
    await expect.poll(async () => (await h.ledger()).length).toBe(1);
    const [event] = await h.ledger();
    expect(event?.usage).toMatchObject({ inputTokens: 11, outputTokens: 5, requests: 1 });
    expect(event?.dimensions).toMatchObject({
      component: "planner",
      provider: "test",
      model: "test-model",
      apiKey: h.gatewayKeyId,
      tags: ["team-a"],
    });
  });

  it("chat stream: include_usage injected upstream, the extra chunk hidden, the usage committed", async () => {
    const before = (await h.ledger()).length;
    const stream = await openai.chat.completions.create({ model: "test-model", messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(last()?.body.stream_options).toEqual({ include_usage: true });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("ok ok ok ok ok ");
    expect(chunks.some((c) => c.usage)).toBe(false);
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 1);
    expect((await h.ledger()).at(-1)?.usage).toMatchObject({ inputTokens: 11, outputTokens: 5 });
    expect((await h.ledger()).at(-1)?.dimensions.tags).toEqual(["team-a"]);
  });

  it("chat stream: the usage chunk passes when the caller asked for it", async () => {
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
  });

  it("responses, plain and streamed, and embeddings are budgeted", async () => {
    const before = (await h.ledger()).length;
    const r = await openai.responses.create({
      model: "test-model",
      input: "Plan it.",
      max_output_tokens: 40,
    });
    expect(r.usage?.output_tokens).toBe(5);
    const s = await openai.responses.create({ model: "test-model", input: "Plan it.", stream: true });
    let deltas = 0;
    for await (const e of s) if (e.type === "response.output_text.delta") deltas += 1;
    expect(deltas).toBe(5);
    const e = await openai.embeddings.create({ model: "test-model", input: ["a", "b"] });
    expect(e.data).toHaveLength(1);
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 3);
    const added = (await h.ledger()).slice(before);
    expect(added.map((x) => [x.usage.inputTokens, x.usage.outputTokens])).toEqual([
      [11, 5],
      [11, 5],
      [11, 0],
    ]);
  });

  it("models are listed through the gateway, nothing reserved", async () => {
    const before = (await h.ledger()).length;
    const page = await openai.models.list();
    expect(page.data.map((m) => m.id)).toEqual(["test-model"]);
    expect((await h.ledger()).length).toBe(before);
  });

  it("metrics per upstream: requests by outcome, upstream latency, tokens, spend", async () => {
    await expect
      .poll(async () => (await h.app.metrics.render()).includes("budget_gateway_spend_usd_total"))
      .toBe(true);
    const text = await h.app.metrics.render();
    expect(text).toMatch(
      /budget_gateway_requests_total\{upstream="openai",operation="chat.completions",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(/budget_gateway_upstream_duration_seconds_count\{upstream="openai"\} [1-9]/);
    expect(text).toMatch(/budget_gateway_tokens_total\{upstream="openai",direction="output"\} [1-9]/);
    expect(text).toMatch(/budget_gateway_spend_usd_total\{upstream="openai"\} 0\.0\d+/);
  });
});
