import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, startGatewayHarness } from "../testing/gateway-harness.js";

let h: GatewayHarness;
const post = (body: unknown, headers: Record<string, string>, key = h.gatewayKey) =>
  fetch(`${h.url}/gateway/openai/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [
      {
        id: "big-cap",
        scope: { model: "test-model", user: "routed" },
        limits: [{ id: "all", window: { type: "lifetime" }, tokens: 10, enforcement: "hard_limit" }],
      },
    ],
  });
});
afterAll(() => h.close());

const messages = [{ role: "user" as const, content: "Say ok." }];

describe("gateway: x-budget-candidates", () => {
  it("forwards the call to the first candidate that fits, and records it under that model", async () => {
    const before = (await h.ledger()).length;
    const res = await post(
      { model: "test-model", messages, max_tokens: 50 },
      { "x-budget-user": "routed", "x-budget-candidates": "test-mini" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-budget-fallback-model")).toBe("test-mini");
    expect(h.openai.requests.at(-1)?.body.model).toBe("test-mini");
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 1);
    expect((await h.ledger()).at(-1)?.dimensions).toMatchObject({ model: "test-mini", user: "routed" });
  });

  it("denies (429, upstream not called) when no candidate fits; refuses a malformed header", async () => {
    const calls = h.openai.requests.length;
    const res = await post(
      { model: "test-model", messages, max_tokens: 50 },
      { "x-budget-user": "routed", "x-budget-candidates": "test-model" },
    );
    expect(res.status).toBe(429);
    const many = Array.from({ length: 21 }, (_, i) => `m${i}`).join(",");
    expect((await post({ model: "test-model", messages }, { "x-budget-candidates": many })).status).toBe(400);
    expect(h.openai.requests.length).toBe(calls);
  });
});
