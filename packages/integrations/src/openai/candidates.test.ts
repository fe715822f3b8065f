import { BudgetExceededError } from "@budget/calls";
import { createBudgetEngine, createMemoryStore } from "@budget/core";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWrapperTestCatalog, ledger } from "../call-guard/test-support.js";
import { type MockOpenAI, startMockOpenAI } from "../testing/mock-openai-server.js";
import { withBudget } from "./with-budget.js";

let mock: MockOpenAI;
let raw: OpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI();
  raw = new OpenAI({ baseURL: mock.baseURL, apiKey: "test", maxRetries: 0 });
});
afterAll(() => mock.close());

const messages = [{ role: "user" as const, content: "Plan the week. [[tokens=5]]" }];

describe("withBudget(openai) with candidate models", () => {
  it("calls the first candidate that fits the budgets and commits under it", async () => {
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createWrapperTestCatalog() });
    await engine.upsertBudget({
      id: "big",
      scope: { model: "test-model" },
      limits: [{ id: "hard", window: { type: "lifetime" }, tokens: 10, enforcement: "hard_limit" }],
    });
    const openai = withBudget(raw, { client: engine, candidates: ["test-mini"] });
    const reply = await openai.chat.completions.create({ model: "test-model", messages, max_tokens: 50 });
    expect(mock.requests.at(-1)?.model).toBe("test-mini");
    expect(reply.model).toBe("test-mini");
    const [event] = await ledger(engine);
    expect(event?.dimensions.model).toBe("test-mini");
    // Without a candidate that fits, the provider is never called.
    const calls = mock.requests.length;
    const strict = withBudget(raw, { client: engine, candidates: ["test-model"] });
    await expect(
      strict.chat.completions.create({ model: "test-model", messages, max_tokens: 50 }),
    ).rejects.toBeInstanceOf(BudgetExceededError);
    expect(mock.requests.length).toBe(calls);
  });
});
