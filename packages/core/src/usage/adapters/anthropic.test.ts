import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeUsage, totalTokens } from "../usage.js";
import { createAnthropicStreamUsage, normalizeAnthropicUsage } from "./anthropic.js";
import { expectAgreesWithGenaiPrices, expectInvalid, expectWellFormed, fixture } from "./test-support.js";

const anthropic = { provider: "anthropic" };

describe("normalizeAnthropicUsage: Messages", () => {
  it("maps cache reads one to one (input_tokens already excludes them)", () => {
    const body = fixture("anthropic-message-cache-read.json");
    const out = normalizeAnthropicUsage(body, anthropic);
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 45, cacheReadTokens: 188086, outputTokens: 503 }),
      model: "claude-sonnet-4-20250514",
      provider: "anthropic",
    });
    expectAgreesWithGenaiPrices("anthropic", body, out.usage);
  });

  it("splits cache writes into 5-minute and 1-hour buckets and counts web searches", () => {
    const body = fixture("anthropic-message-cache-5m-1h.json");
    const out = normalizeAnthropicUsage(body, anthropic);
    expect(out).toEqual({
      usage: makeUsage({
        inputTokens: 12,
        cacheReadTokens: 1600,
        cacheWriteTokens: 1500,
        cacheWrite1hTokens: 2808,
        outputTokens: 640,
        webSearches: 2,
      }),
      model: "claude-opus-4-1-20250805",
      provider: "anthropic",
    });
    expect(totalTokens(out.usage)).toBe(12 + 4308 + 1600 + 640);
    expectAgreesWithGenaiPrices("anthropic", body, out.usage);
  });

  it("treats cache writes without a TTL split as 5-minute writes", () => {
    const out = normalizeAnthropicUsage(
      {
        input_tokens: 3,
        cache_creation_input_tokens: 900,
        output_tokens: 7,
      },
      anthropic,
    );
    expect(out.usage).toEqual(makeUsage({ inputTokens: 3, cacheWriteTokens: 900, outputTokens: 7 }));
  });

  it("rejects a TTL split larger than the cache writes, bad counts, and missing counts", () => {
    expectInvalid(
      () =>
        normalizeAnthropicUsage(
          {
            input_tokens: 1,
            output_tokens: 1,
            cache_creation_input_tokens: 10,
            cache_creation: { ephemeral_5m_input_tokens: 8, ephemeral_1h_input_tokens: 8 },
          },
          anthropic,
        ),
      "cache_creation_input_tokens",
    );
    expectInvalid(
      () => normalizeAnthropicUsage({ input_tokens: -5, output_tokens: 1 }, anthropic),
      "usage.input_tokens",
    );
    expectInvalid(
      () =>
        normalizeAnthropicUsage(
          { model: "claude", usage: { input_tokens: 1, output_tokens: 0.5 } },
          anthropic,
        ),
      "message.usage.output_tokens",
    );
    expectInvalid(() => normalizeAnthropicUsage({ input_tokens: 1 }, anthropic), "usage.output_tokens");
  });
});

describe("createAnthropicStreamUsage", () => {
  it("takes the final cumulative output_tokens instead of adding message_start's", () => {
    const acc = createAnthropicStreamUsage(anthropic);
    for (const event of fixture("anthropic-stream.json") as unknown[]) acc.push(event);
    expect(acc.usage()).toEqual({
      usage: makeUsage({ inputTokens: 472, cacheReadTokens: 2048, outputTokens: 315 }),
      model: "claude-sonnet-4-5-20250929",
      provider: "anthropic",
    });
  });

  it("lets message_delta's cumulative input and server-tool counts replace message_start's", () => {
    const out = normalizeAnthropicUsage(fixture("anthropic-stream-cumulative-input.json"), anthropic);
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 10682, outputTokens: 510, webSearches: 1 }),
      model: "claude-opus-4-1-20250805",
      provider: "anthropic",
    });
  });

  it("reports message_start usage before any delta, and replays to the same result", () => {
    const events = fixture("anthropic-stream.json") as unknown[];
    const acc = createAnthropicStreamUsage(anthropic);
    acc.push(events[0]);
    expect(acc.usage().usage.outputTokens).toBe(2);
    expect(normalizeAnthropicUsage(events[0], anthropic)).toEqual(acc.usage());
  });

  it("rejects an empty stream and malformed delta usage", () => {
    expectInvalid(() => createAnthropicStreamUsage(anthropic).usage(), "anthropic stream");
    const acc = createAnthropicStreamUsage(anthropic);
    expectInvalid(
      () => acc.push({ type: "message_delta", usage: { output_tokens: -1 } }),
      "message_delta.usage.output_tokens",
    );
  });
});

describe("normalizeAnthropicUsage: properties", () => {
  const n = fc.nat({ max: 2_000_000 });
  it("buckets sum to the provider's input + cache + output; deltas never double count", () => {
    fc.assert(
      fc.property(
        n,
        n,
        n,
        n,
        n,
        n,
        fc.nat({ max: 20 }),
        (input, read, w5m, w1h, output, startOut, searches) => {
          const usage = {
            input_tokens: input,
            cache_read_input_tokens: read,
            cache_creation_input_tokens: w5m + w1h,
            cache_creation: { ephemeral_5m_input_tokens: w5m, ephemeral_1h_input_tokens: w1h },
            output_tokens: output,
            server_tool_use: { web_search_requests: searches },
          };
          const providerTotal = input + read + w5m + w1h + output;
          const body = { model: "claude-sonnet-4-5", usage };
          const whole = normalizeAnthropicUsage(body, anthropic).usage;
          expectWellFormed(whole);
          expect(totalTokens(whole)).toBe(providerTotal);
          expect(whole.webSearches).toBe(searches);
          expectAgreesWithGenaiPrices("anthropic", body, whole);
          const streamed = normalizeAnthropicUsage(
            [
              {
                type: "message_start",
                message: { model: "claude-sonnet-4-5", usage: { ...usage, output_tokens: startOut } },
              },
              { type: "message_delta", usage: { output_tokens: Math.floor(output / 2) } },
              { type: "message_delta", usage: { output_tokens: output } },
            ],
            anthropic,
          ).usage;
          expect(streamed).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });
});
