import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config.js";
import { startServer } from "../start-server.js";
import { startFakeUpstream } from "../testing/fake-upstream.js";

const UPSTREAM_KEY = "sk-serve-upstream-0123456789SECRET";
const GATEWAY_KEY = "bgt_serve_gateway_key_0123456789abcdef";

describe("budget serve: the gateway from the configuration file", () => {
  it("upstream key from the environment, a gateway key with dimensions from auth.keys, SQLite, bundled prices", async () => {
    const upstream = await startFakeUpstream({ key: UPSTREAM_KEY });
    const dir = mkdtempSync(join(tmpdir(), "budget-gateway-serve-"));
    const config = parseConfig(
      {
        server: { port: 0 },
        database: { file: join(dir, "budget.db") },
        logging: { level: "silent" },
        auth: {
          keys: [{ name: "agents", role: "gateway", key: GATEWAY_KEY, dimensions: { component: "agents" } }],
        },
        budgets: [
          {
            id: "agents",
            scope: { component: "agents" },
            limits: [{ id: "m", window: { type: "month" }, cost: "5" }],
          },
        ],
        gateway: {
          upstreams: [
            { id: "openai", api: "openai", baseUrl: upstream.baseUrl, apiKeyEnv: "SERVE_TEST_OPENAI_KEY" },
          ],
        },
      },
      {},
    );
    const server = await startServer({ config, env: { SERVE_TEST_OPENAI_KEY: UPSTREAM_KEY } });
    try {
      const openai = new OpenAI({
        baseURL: `${server.url}/gateway/openai/v1`,
        apiKey: GATEWAY_KEY,
        maxRetries: 0,
      });
      const reply = await openai.chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "Say ok." }],
        max_tokens: 20,
      });
      expect(reply.choices[0]?.message.content).toBe("ok ok ok ok ok ");
      expect(upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      await expect
        .poll(async () => (await server.engine.status({ budgetId: "agents" }))[0]?.used.tokens)
        .toBe(16);
      const [status] = await server.engine.status({ budgetId: "agents" });
      // gpt-4o at the bundled prices: 11 input and 5 output tokens cost more than nothing.
      expect(status?.used.costNanoUsd).toBeGreaterThan(0n);
      expect(status?.reserved.tokens).toBe(0);
    } finally {
      await server.close();
      await upstream.close();
    }
  });
});
