import Anthropic from "@anthropic-ai/sdk";
import { heuristicTokenCount } from "@budget/calls/estimate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANTHROPIC_UPSTREAM_KEY,
  type GatewayHarness,
  startGatewayHarness,
} from "../testing/gateway-harness.js";

let h: GatewayHarness;
let anthropic: Anthropic;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
  });
  // The SDK appends /v1/messages: the base URL stops at the upstream.
  anthropic = new Anthropic({ baseURL: `${h.url}/gateway/anthropic`, apiKey: h.gatewayKey, maxRetries: 0 });
});
afterAll(() => h.close());

const messages = [{ role: "user" as const, content: "Say ok." }];

describe("gateway: the @anthropic-ai/sdk client pointed at /gateway/anthropic", () => {
  it("messages: the upstream sees its own key in x-api-key, the reported usage is committed", async () => {
    const msg = await anthropic.messages.create({ model: "test-model", max_tokens: 100, messages });
    expect(msg.content[0]).toMatchObject({ type: "text", text: "ok ok ok ok ok " });
    const seen = h.anthropic.requests.at(-1);
    expect(seen?.headers["x-api-key"]).toBe(ANTHROPIC_UPSTREAM_KEY);
    expect(seen?.headers["anthropic-version"]).toBeDefined();
    expect(JSON.stringify(seen?.headers)).not.toContain(h.gatewayKey);
    await expect.poll(async () => (await h.ledger()).length).toBe(1);
    expect((await h.ledger())[0]?.usage).toMatchObject({ inputTokens: 11, outputTokens: 5 });
  });

  it("messages stream (create with stream: true, and the stream() helper) commits message_delta's usage", async () => {
    const stream = await anthropic.messages.create({
      model: "test-model",
      max_tokens: 100,
      messages,
      stream: true,
    });
    let text = "";
    for await (const e of stream)
      if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
    expect(text).toBe("ok ok ok ok ok ");
    const final = await anthropic.messages
      .stream({ model: "test-model", max_tokens: 100, messages })
      .finalMessage();
    expect(final.usage.output_tokens).toBe(5);
    await expect.poll(async () => (await h.ledger()).length).toBe(3);
    expect((await h.ledger()).slice(1).map((e) => e.usage.outputTokens)).toEqual([5, 5]);
  });

  it("count_tokens is free: forwarded, nothing reserved or committed", async () => {
    const before = (await h.ledger()).length;
    const counted = await anthropic.messages.countTokens({ model: "test-model", messages });
    expect(counted.input_tokens).toBe(11);
    expect((await h.ledger()).length).toBe(before);
  });

  it("a stream broken after message_start commits its reported input and the output seen", async () => {
    const before = (await h.ledger()).length;
    // Events: message_start, content_block_start, then text deltas; cut after the 2nd delta.
    const stream = await anthropic.messages.create({
      model: "test-model",
      max_tokens: 100,
      messages: [{ role: "user", content: "Say ok. [[drop=4]] [[interval=5]]" }],
      stream: true,
    });
    let text = "";
    await expect(
      (async () => {
        for await (const e of stream)
          if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
      })(),
    ).rejects.toThrow();
    expect(text).toBe("ok ok ");
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 1);
    const event = (await h.ledger()).at(-1);
    expect(event?.usage).toMatchObject({ inputTokens: 11, outputTokens: heuristicTokenCount("ok ok ") });
    expect(event?.dimensions.tags).toContain("estimated");
  });

  it("a caller that stops reading a slow stream: the upstream is cut, the output relayed committed", async () => {
    const before = (await h.ledger()).length;
    const disconnects = h.anthropic.disconnects;
    const stream = await anthropic.messages.create({
      model: "test-model",
      max_tokens: 100,
      messages: [{ role: "user", content: "Say ok. [[chunks=40]] [[interval=20]]" }],
      stream: true,
    });
    let deltas = 0;
    for await (const e of stream) if (e.type === "content_block_delta" && ++deltas === 3) break;
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 1);
    const output = (await h.ledger()).at(-1)?.usage.outputTokens ?? 0;
    expect(output).toBeGreaterThanOrEqual(heuristicTokenCount("ok ok ok "));
    expect(output).toBeLessThan(heuristicTokenCount("ok ".repeat(40)));
    await expect.poll(() => h.anthropic.disconnects).toBe(disconnects + 1);
  });
});
