import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BudgetApi, createBudgetApi, createBudgetClient } from "@budget/client";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  createSequentialIds,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "./app/create-app.js";
import { createAuth } from "./auth/auth.js";
import { parseConfig } from "./config/load-config.js";
import { type Listening, listen } from "./node/listen.js";
import { startServer } from "./start-server.js";
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

/** Every method of the API object, by its dotted name (`budgets.get`); `http` is the raw caller. */
function methodsOf(api: object, prefix = ""): [string, (...args: unknown[]) => unknown][] {
  return Object.entries(api).flatMap(([name, v]): [string, (...args: unknown[]) => unknown][] => {
    if (name === "http") return [];
    if (typeof v === "function") return [[prefix + name, v as (...args: unknown[]) => unknown]];
    return methodsOf(v as object, `${prefix}${name}.`);
  });
}

describe("@budget/client covers the route table", () => {
  it("has a method for every route of a fully configured server, and none for a route it lacks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "budget-parity-"));
    const config = parseConfig({
      server: { port: 0 },
      database: { file: join(dir, "budget.db") },
      logging: { level: "silent" },
      // The assistant's model is a closed local port: its route exists, its answer is "failed".
      assistant: { enabled: true, url: "http://127.0.0.1:9/v1", model: "gpt-4o-mini" },
    });
    const server = await startServer({ config, env: { BUDGET_ASSISTANT_API_KEY: "test" } });
    try {
      const patterns = server.app.routes.map((r) => ({
        route: `${r.method.toUpperCase()} ${r.path}`,
        re: new RegExp(`^${r.method.toUpperCase()} ${r.path.replace(/\{[^}]+\}/g, "[^/]+")}$`),
      }));
      const sent: string[] = [];
      const recording: typeof fetch = (input, init) => {
        sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
        return fetch(input, init);
      };
      const api: BudgetApi = createBudgetApi({ url: server.url, apiKey: server.adminKey, fetch: recording });
      const covered = new Set<string>();
      const strays: string[] = [];
      for (const [name, method] of methodsOf(api)) {
        const before = sent.length;
        // Any arguments do: the request's method and path are what is compared, not its answer.
        const result = method("id-1", "id-2");
        if (typeof result === "function") result();
        else await Promise.resolve(result).catch(() => undefined);
        const requests = sent.slice(before);
        if (requests.length === 0) strays.push(`${name}: no request`);
        for (const req of requests) {
          const hit = patterns.find((p) => p.re.test(req));
          if (hit) covered.add(hit.route);
          else strays.push(`${name}: ${req}`);
        }
      }
      expect(strays).toEqual([]);
      expect(patterns.map((p) => p.route).filter((r) => !covered.has(r))).toEqual([]);
      expect(covered.size).toBeGreaterThan(50);
    } finally {
      await server.close();
    }
  });
});
