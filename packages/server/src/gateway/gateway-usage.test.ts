import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ESTIMATED_TAG } from "@budget/calls";
import type { TokenCounter } from "@budget/calls/estimate";
import { UNVERIFIED_TAG } from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, startGatewayHarness } from "../testing/gateway-harness.js";
import { type BudgetedEndpoint, endpointFor } from "./endpoints.js";

/** A loopback upstream answering every chat call with the usage given in the prompt's `usage` field. */
let upstream: Server;
let baseUrl: string;
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        stream?: boolean;
        messages: { content: string }[];
      };
      const usage = JSON.parse(body.messages[0]?.content ?? "{}") as unknown;
      const choice = { index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" };
      if (!body.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "c1", object: "chat.completion", choices: [choice], usage }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: "ok" } }] })}\n\n`,
      );
      res.write(`data: ${JSON.stringify({ id: "c1", choices: [], usage })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

async function withGateway(run: (h: GatewayHarness) => Promise<void>) {
  const h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
    gateway: {
      upstreams: [{ id: "fixed", api: "openai", baseUrl, apiKeyEnv: "FAKE_OPENAI_KEY", provider: "test" }],
    },
  });
  try {
    await run(h);
  } finally {
    await h.close();
  }
}

const call = (h: GatewayHarness, usage: unknown, stream = false) =>
  fetch(`${h.url}/gateway/fixed/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.gatewayKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "test-model",
      max_tokens: 50,
      stream,
      messages: [{ role: "user", content: JSON.stringify(usage) }],
    }),
  });

describe("gateway: reported usage, normalized under the upstream's provider", () => {
  it("a token field the adapter does not know: the rest recorded, tagged unverified (plain and streamed)", async () => {
    const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10, mystery_tokens: 4 };
    await withGateway(async (h) => {
      for (const stream of [false, true]) {
        const res = await call(h, usage, stream);
        expect(res.status).toBe(200);
        await res.text();
      }
      await expect.poll(async () => (await h.ledger()).length).toBe(2);
      for (const event of await h.ledger()) {
        expect(event.dimensions.provider).toBe("test");
        expect(event.dimensions.tags).toContain(UNVERIFIED_TAG);
        expect(event.dimensions.tags).not.toContain(ESTIMATED_TAG);
        expect(event.usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
      }
    });
  });

  it("an inconsistent usage: the call still answers; its estimate is committed, tagged estimated and unverified", async () => {
    // More cached than prompt tokens: rejected by the adapter, never recorded as zero.
    const usage = { prompt_tokens: 2, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 9 } };
    await withGateway(async (h) => {
      for (const stream of [false, true]) {
        const res = await call(h, usage, stream);
        expect(res.status).toBe(200);
        await res.text();
      }
      await expect.poll(async () => (await h.ledger()).length).toBe(2);
      for (const event of await h.ledger()) {
        expect(event.dimensions.tags).toEqual(expect.arrayContaining([ESTIMATED_TAG, UNVERIFIED_TAG]));
        expect(event.usage.inputTokens).toBeGreaterThan(0);
      }
    });
  });
});

describe("gateway endpoints: the provider label comes from the call, not the shape", () => {
  const chat = endpointFor("openai", "POST", "chat/completions") as BudgetedEndpoint;
  // xAI reports reasoning outside completion_tokens (total = prompt + completion + reasoning).
  const xai = {
    usage: {
      prompt_tokens: 12,
      completion_tokens: 1,
      total_tokens: 241,
      completion_tokens_details: { reasoning_tokens: 228 },
    },
  };

  it("the same body reads by the upstream's provider: xAI's reasoning on top of completion", () => {
    const reported = chat.usageOf(xai, "x-ai") as { provider?: string; usage: { outputTokens: number } };
    expect(reported.provider).toBe("x-ai");
    expect(reported.usage.outputTokens).toBe(229);
  });

  it("a stream accumulator labels and reads its usage when the stream ends", () => {
    const counter: TokenCounter = { count: (t) => t.length, method: "heuristic" };
    const acc = chat.stream?.({ model: "grok-3-mini", messages: [] }, counter, "x-ai").usage;
    acc?.observe({ choices: [], usage: xai.usage });
    expect(acc?.usage()).toMatchObject({ provider: "x-ai", usage: { outputTokens: 229 } });
  });
});
