import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  formatUsd,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";
import { ASSISTANT_COMPONENT, assistantConfigSchema } from "../config/assistant-config.js";
import { ensureAssistantBudget } from "./assistant-budget.js";
import { createAssistant } from "./create-assistant.js";

const MODEL_KEY = "sk-fake-model-key-000000000000";
type Body = { model: string; messages: { role: string; content: string | null; tool_call_id?: string }[] };

/**
 * A loopback model speaking OpenAI chat completions: asked a question, it calls `get_report`
 * grouped by component; given the tool's answer, it states the planner's cost as the tool gave it.
 */
let model: Server;
let url = "";
const seen: { authorization: string | undefined; body: string }[] = [];
beforeAll(async () => {
  model = createServer(async (req: IncomingMessage, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    seen.push({ authorization: req.headers.authorization, body: text });
    const body = JSON.parse(text) as Body;
    const tool = body.messages.find((m) => m.role === "tool");
    const usage = { prompt_tokens: 400, completion_tokens: 30, total_tokens: 430 };
    const message = tool
      ? (() => {
          const report = JSON.parse(tool.content ?? "{}") as {
            items: { group: { component: string }; costUsd: string }[];
          };
          const planner = report.items.find((r) => r.group.component === "planner");
          return { role: "assistant", content: `The planner spent ${planner?.costUsd} USD (get_report).` };
        })()
      : {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_report", arguments: '{"groupBy":["component"]}' },
            },
          ],
        };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "x",
        object: "chat.completion",
        model: body.model,
        choices: [{ index: 0, message, finish_reason: "stop" }],
        usage,
      }),
    );
  });
  await new Promise<void>((r) => model.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => model.close(() => r())));

async function setUp(dailyCostUsd = "1") {
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock: createManualClock("2026-07-01T12:00:00Z"),
  });
  const config = assistantConfigSchema.parse({
    enabled: true,
    url,
    model: "test-model",
    provider: "test",
    dailyCostUsd,
  });
  await ensureAssistantBudget(engine, config);
  const assistant = createAssistant({
    engine,
    config: { ...config, url, model: "test-model" },
    apiKey: MODEL_KEY,
  });
  await engine.record({
    dimensions: { component: "planner", model: "test-model" },
    usage: { inputTokens: 12345, outputTokens: 678 },
  });
  await engine.record({
    dimensions: { component: "coder", model: "test-mini" },
    usage: { inputTokens: 1000 },
  });
  return { engine, assistant };
}

describe("the assistant (against a loopback fake model)", () => {
  it("answers with the figure the tool gave, cites it, and budgets its own calls", async () => {
    const { engine, assistant } = await setUp();
    const before = seen.length;
    const r = await assistant.ask("How much did the planner spend?");
    // 12,345 input × $1/M + 678 output × $2/M, computed here independently.
    const planner = formatUsd(12_345n * 1000n + 678n * 2000n);
    expect(r).toMatchObject({
      status: "answered",
      steps: 2,
      answer: `The planner spent ${planner} USD (get_report).`,
    });
    expect(r.citations).toHaveLength(1);
    expect(r.citations[0]).toMatchObject({ tool: "get_report", arguments: { groupBy: ["component"] } });
    const result = r.citations[0]?.result as { items: { group: { component: string }; costUsd: string }[] };
    const row = result.items.find((i) => i.group.component === "planner");
    expect(row?.costUsd).toBe(planner);
    // Its own two model calls are in the ledger, priced, under its component and budget.
    const own = (await engine.store.listEvents({ dimensions: { component: ASSISTANT_COMPONENT } })).events;
    expect(own).toHaveLength(2);
    expect(own.every((e) => e.usage.inputTokens === 400 && e.usage.outputTokens === 30)).toBe(true);
    const [status] = await engine.status({ budgetId: "budget-assistant" });
    expect(status?.used.costNanoUsd).toBe(2n * (400n * 1000n + 30n * 2000n));
    // The model got its own key and never a Budget key or secret.
    for (const s of seen.slice(before)) {
      expect(s.authorization).toBe(`Bearer ${MODEL_KEY}`);
      expect(s.body).not.toContain(MODEL_KEY);
      expect(s.body).not.toContain("bgt_");
    }
  });

  it("is refused by its own budget before calling the model", async () => {
    const { assistant } = await setUp("0.0001");
    const before = seen.length;
    const r = await assistant.ask("How much did the planner spend?");
    expect(r.status).toBe("denied");
    expect(r.denial).toMatchObject({ budgetId: "budget-assistant", limitId: "daily" });
    expect(seen.length).toBe(before);
  });

  it("POST /v1/assistant exists only when enabled, and answers a reader", async () => {
    const { engine, assistant } = await setUp();
    const auth = createAuth(createMemoryKeyStore());
    const reader = (await auth.createKey({ name: "r", role: "reader" })).key;
    const ask = (app: ReturnType<typeof createBudgetApp>, body: unknown) =>
      app.app.request("/v1/assistant", {
        method: "POST",
        headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const off = createBudgetApp({ engine, keys: auth });
    expect((await ask(off, { question: "hi" })).status).toBe(404);
    const on = createBudgetApp({ engine, keys: auth, assistant });
    const res = await ask(on, { question: "How much did the planner spend?" });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe("answered");
    expect((await ask(on, { question: "" })).status).toBe(400);
  });
});
