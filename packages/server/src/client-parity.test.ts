import { createBudgetClient } from "@budget/client";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  createSequentialIds,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, describe, it } from "vitest";
import { createBudgetApp } from "./app/create-app.js";
import { createAuth } from "./auth/auth.js";
import { type Listening, listen } from "./node/listen.js";
import { BEHAVIOUR_SCENARIOS, type Harness } from "./testing/behaviour-scenarios.js";

function engineHarness() {
  const store = createMemoryStore();
  const clock = createManualClock("2026-05-01T00:00:00Z");
  const engine = createBudgetEngine({
    store,
    catalog: createTestCatalog(),
    clock,
    ids: createSequentialIds(),
  });
  return { store, clock, engine };
}

const servers: Listening[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function httpHarness(): Promise<Harness> {
  const { store, clock, engine } = engineHarness();
  const auth = createAuth(createMemoryKeyStore());
  const { key } = await auth.createKey({ name: "admin", role: "admin" });
  const server = await listen(createBudgetApp({ engine, keys: auth }).fetch);
  servers.push(server);
  return { client: createBudgetClient({ url: server.url, apiKey: key }), clock, store };
}

describe.each([
  [
    "in-process engine",
    async (): Promise<Harness> => {
      const { store, clock, engine } = engineHarness();
      return { client: engine, clock, store };
    },
  ],
  ["HTTP client against a real server", httpHarness],
])("behaviour through the %s", (_name, make) => {
  for (const scenario of BEHAVIOUR_SCENARIOS) {
    it(scenario.name, async () => scenario.run(await make()));
  }
});
