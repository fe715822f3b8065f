import { BudgetExceededError } from "@budget/calls";
import { estimateUsage, heuristicTokenCount } from "@budget/calls/estimate";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { startJsonServer } from "../call-guard/json-server.js";
import { startSlowSseServer } from "../call-guard/slow-sse-server.js";
import { createTestEngine, ledger, teamStatus, testModelCost } from "../call-guard/test-support.js";
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

describe("withBudget(openai).responses.create: a stream that ends without reported usage", () => {
  const delta = (type: string, d: string, sequence_number: number) => ({
    event: type,
    data: {
      type,
      sequence_number,
      item_id: "i",
      output_index: 0,
      content_index: 0,
      summary_index: 0,
      delta: d,
    },
  });
  const events = [
    {
      event: "response.created",
      data: {
        type: "response.created",
        sequence_number: 0,
        response: { ...response, status: "in_progress", output: [], usage: null },
      },
    },
    delta("response.reasoning_summary_text.delta", "Weighing the options.", 1),
    delta("response.output_text.delta", "The plan:", 2),
    delta("response.output_text.delta", " ship it", 3),
    delta("response.function_call_arguments.delta", '{"when":"now"}', 4),
    delta("response.output_text.delta", " tomorrow, after review.", 5),
    { event: "response.completed", data: { type: "response.completed", sequence_number: 6, response } },
  ];

  it("an abort after 5 events commits the prompt estimate plus the text, arguments and reasoning seen", async () => {
    const server = await startSlowSseServer(events, 10);
    try {
      const engine = await createTestEngine();
      const openai = withBudget(new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "t", maxRetries: 0 }), {
        client: engine,
      });
      const stream = await openai.responses.create({ model: "test-model", input: "Plan it.", stream: true });
      let seen = 0;
      for await (const _ of stream) if (++seen === 5) stream.controller.abort();
      await expect.poll(async () => (await ledger(engine)).length).toBe(1);
      // test-model is not an OpenAI model name: both sides count with the character heuristic.
      const input = (await estimateUsage({ model: "test-model", messages: "Plan it." })).usage.inputTokens;
      const reasoning = heuristicTokenCount("Weighing the options.");
      expect((await ledger(engine))[0]?.usage).toMatchObject({
        inputTokens: input,
        cacheReadTokens: 0,
        outputTokens: heuristicTokenCount('The plan: ship it{"when":"now"}') + reasoning,
        reasoningTokens: reasoning,
      });
      expect((await teamStatus(engine)).reserved.tokens).toBe(0);
    } finally {
      await server.close();
    }
  });
});
