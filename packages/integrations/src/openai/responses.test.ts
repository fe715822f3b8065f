import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { startJsonServer } from "../call-guard/json-server.js";
import { startSlowSseServer } from "../call-guard/slow-sse-server.js";
import { createTestEngine, ledger, teamStatus, testModelCost } from "../call-guard/test-support.js";
import { BudgetExceededError } from "../errors.js";
import { withBudget } from "./with-budget.js";

const usage = {
  input_tokens: 1200,
  input_tokens_details: { cached_tokens: 1000 },
  output_tokens: 80,
  output_tokens_details: { reasoning_tokens: 30 },
  total_tokens: 1280,
};
const response = {
  id: "resp_1",
  object: "response",
  created_at: 0,
  model: "test-model",
  status: "completed",
  output: [
    {
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: "done", annotations: [] }],
    },
  ],
  usage,
};
// 200 uncached input at $1/M, 1000 cache reads at $0.1/M, 80 output at $2/M.
const cost = testModelCost(200, 80) + 1000n * 100n;

describe("withBudget(openai).responses.create", () => {
  it("commits a response's usage, cache reads and reasoning included", async () => {
    const http = await startJsonServer(response);
    try {
      const engine = await createTestEngine();
      const openai = withBudget(new OpenAI({ baseURL: `${http.url}/v1`, apiKey: "t" }), {
        client: engine,
      });
      const r = await openai.responses.create({
        model: "test-model",
        input: "Plan it.",
        max_output_tokens: 100,
      });
      expect(r.output_text).toBe("done");
      const [event] = await ledger(engine);
      expect(event?.usage).toMatchObject({
        inputTokens: 200,
        cacheReadTokens: 1000,
        outputTokens: 80,
        reasoningTokens: 30,
      });
      expect(event?.costNanoUsd).toBe(cost);
      const denied = withBudget(new OpenAI({ baseURL: `${http.url}/v1`, apiKey: "t" }), {
        client: await createTestEngine({ tokens: 10 }),
      });
      await expect(
        denied.responses.create({ model: "test-model", input: "Plan it." }),
      ).rejects.toBeInstanceOf(BudgetExceededError);
    } finally {
      await http.close();
    }
  });

  it("streams: commits from response.completed", async () => {
    const events = [
      {
        event: "response.created",
        data: {
          type: "response.created",
          sequence_number: 0,
          response: { ...response, status: "in_progress", output: [], usage: null },
        },
      },
      {
        event: "response.output_text.delta",
        data: {
          type: "response.output_text.delta",
          sequence_number: 1,
          item_id: "msg_1",
          output_index: 0,
          content_index: 0,
          delta: "done",
        },
      },
      { event: "response.completed", data: { type: "response.completed", sequence_number: 2, response } },
    ];
    const server = await startSlowSseServer(events, 1);
    try {
      const engine = await createTestEngine();
      const openai = withBudget(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "t" }), { client: engine });
      const stream = await openai.responses.create({ model: "test-model", input: "Plan it.", stream: true });
      const types: string[] = [];
      for await (const e of stream) types.push(e.type);
      expect(types).toEqual(["response.created", "response.output_text.delta", "response.completed"]);
      expect((await ledger(engine))[0]?.costNanoUsd).toBe(cost);
      expect((await teamStatus(engine)).reserved.tokens).toBe(0);
    } finally {
      await server.close();
    }
  });
});
