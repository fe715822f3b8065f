import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, startGatewayHarness } from "../testing/gateway-harness.js";

const LIMIT = 1000;
const CALLERS = 50;
let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "hard", limits: [{ id: "all", window: { type: "month" }, tokens: LIMIT }] }],
    // Each stream: 20 one-token chunks over ~100 ms; reported prompt below the estimate, output at the cap.
    upstream: { chunks: 20, chunkIntervalMs: 5, promptTokens: 5 },
  });
});
afterAll(() => h.close());

describe("gateway: a hard limit under concurrent streaming callers", () => {
  it(`${CALLERS} streams at once against ${LIMIT} tokens: some denied, none overspent`, async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/gateway/openai/v1`, apiKey: h.gatewayKey, maxRetries: 0 });
    const outcomes = await Promise.all(
      Array.from({ length: CALLERS }, async () => {
        try {
          const stream = await openai.chat.completions.create({
            model: "test-model",
            messages: [{ role: "user", content: "Count to twenty." }],
            max_tokens: 20,
            stream: true,
          });
          let chunks = 0;
          for await (const c of stream) if (c.choices[0]?.delta.content) chunks += 1;
          return chunks === 20 ? "streamed" : "short";
        } catch (err) {
          return err instanceof OpenAI.RateLimitError ? "denied" : `error: ${String(err)}`;
        }
      }),
    );
    const streamed = outcomes.filter((o) => o === "streamed").length;
    const denied = outcomes.filter((o) => o === "denied").length;
    expect(streamed + denied).toBe(CALLERS);
    expect(denied).toBeGreaterThan(0);
    expect(streamed).toBeGreaterThan(0);
    await expect.poll(async () => (await h.ledger()).length).toBe(streamed);
    const [status] = await h.engine.status({ budgetId: "hard" });
    expect(status?.reserved.tokens).toBe(0);
    const spent = (await h.ledger()).reduce((n, e) => n + e.usage.inputTokens + e.usage.outputTokens, 0);
    expect(status?.used.tokens).toBe(spent);
    // Zero overspend: never past the limit.
    expect(spent).toBeLessThanOrEqual(LIMIT);
    expect(h.openai.requests.length).toBe(streamed);
  });
});
