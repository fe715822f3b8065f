import { Writable } from "node:stream";
import {
  type BudgetEngine,
  type BudgetInput,
  createBudgetEngine,
  createMemoryKeyStore,
  createMemoryStore,
  type UsageEvent,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { type BudgetApp, createBudgetApp } from "../app/create-app.js";
import { type Auth, createAuth } from "../auth/auth.js";
import { gatewayConfigSchema } from "../gateway/gateway-config.js";
import { type Listening, listen } from "../node/listen.js";
import { createLogger } from "../start-server.js";
import { type FakeUpstream, type FakeUpstreamOptions, startFakeUpstream } from "./fake-upstream.js";

/** The upstream keys of the fake upstreams: they must never reach a caller or a log line. */
export const OPENAI_UPSTREAM_KEY = "sk-upstream-openai-0123456789abcdefSECRET";
export const ANTHROPIC_UPSTREAM_KEY = "sk-ant-upstream-0123456789abcdefSECRET";

/** A running service with its gateway in front of two fake upstreams. */
export interface GatewayHarness {
  url: string;
  engine: BudgetEngine;
  auth: Auth;
  app: BudgetApp;
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  /** A gateway key with dimensions `{ component: "planner", tags: ["team-a"] }`. */
  gatewayKey: string;
  gatewayKeyId: string;
  /** Every log line the service wrote (level debug). */
  logs: string[];
  /** The ledger, oldest first. */
  ledger(): Promise<UsageEvent[]>;
  close(): Promise<void>;
}

/** Options of {@link startGatewayHarness}. */
export interface HarnessOptions {
  budgets?: BudgetInput[];
  upstream?: Omit<FakeUpstreamOptions, "key">;
  gateway?: Record<string, unknown>;
  /** Fields added to both fake upstreams' configuration (e.g. `chatCapField`). */
  upstreamExtra?: Record<string, unknown>;
}

/** Starts a fake OpenAI and a fake Anthropic, and the service (memory store, test prices) with its gateway. */
export async function startGatewayHarness(options: HarnessOptions = {}): Promise<GatewayHarness> {
  const openai = await startFakeUpstream({ ...options.upstream, key: OPENAI_UPSTREAM_KEY });
  const anthropic = await startFakeUpstream({ ...options.upstream, key: ANTHROPIC_UPSTREAM_KEY });
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog() });
  for (const b of options.budgets ?? []) await engine.upsertBudget(b);
  const auth = createAuth(createMemoryKeyStore());
  const { key, record } = await auth.createKey({
    name: "agents",
    role: "gateway",
    dimensions: { component: "planner", tags: ["team-a"] },
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger("debug", sink);
  const config = gatewayConfigSchema.parse({
    upstreams: [
      {
        id: "openai",
        api: "openai",
        baseUrl: openai.baseUrl,
        apiKeyEnv: "FAKE_OPENAI_KEY",
        provider: "test",
        ...options.upstreamExtra,
      },
      {
        id: "anthropic",
        api: "anthropic",
        baseUrl: anthropic.baseUrl,
        apiKeyEnv: "FAKE_ANTHROPIC_KEY",
        provider: "test",
        ...options.upstreamExtra,
      },
    ],
    ...options.gateway,
  });
  const env = { FAKE_OPENAI_KEY: OPENAI_UPSTREAM_KEY, FAKE_ANTHROPIC_KEY: ANTHROPIC_UPSTREAM_KEY };
  const app = createBudgetApp({ engine, keys: auth, logger, gateway: { config, env } });
  const server: Listening = await listen(app.fetch);
  return {
    url: server.url,
    engine,
    auth,
    app,
    openai,
    anthropic,
    gatewayKey: key,
    gatewayKeyId: record.id,
    logs,
    ledger: async () => (await engine.store.listEvents({})).events,
    async close() {
      await server.close();
      app.close();
      await Promise.all([openai.close(), anthropic.close()]);
    },
  };
}
