import { readFile, writeFile } from "node:fs/promises";
import { createBudgetClient } from "@budget/client";
import { createBudgetEngine, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createAuth, createBudgetApp, listen } from "@budget/server";
import { describe, expect, it } from "vitest";
import { clientFor, runExample } from "./run.js";

const EXPECTED = new URL("./expected-output.txt", import.meta.url);

async function outputOf(client: Parameters<typeof runExample>[0]["client"]) {
  const lines: string[] = [];
  await runExample({ client, log: (l) => lines.push(l) });
  return `${lines.join("\n")}\n`;
}

describe("orchestrator example", () => {
  it("prints a strict run halted by its budget and a soft run that warns, deterministically", async () => {
    const output = await outputOf(await clientFor({}));
    // UPDATE_EXPECTED=1 rewrites the committed output after an intended change.
    if (process.env.UPDATE_EXPECTED === "1") await writeFile(EXPECTED, output);
    expect(output).toBe(await readFile(EXPECTED, "utf8"));
    expect(output).toMatch(/worker w2 halted: budget "run:strict-demo"/);
    expect(output).toMatch(/run strict-demo halted/);
    expect(output).toMatch(/warning \(.+\): budget "run:soft-demo" limit "lifetime" reached 80%/);
    expect(output).toMatch(/run soft-demo completed: 7 of 7 tasks done/);
  });

  it("prints the same against the HTTP service through @budget/client", async () => {
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog() });
    const auth = createAuth(createMemoryKeyStore());
    // A writer key suffices: writers may create, change and reset a run's own budgets.
    const { key } = await auth.createKey({
      name: "orchestrator",
      role: "writer",
      components: ["orchestrator"],
    });
    const server = await listen(createBudgetApp({ engine, keys: auth }).fetch);
    try {
      const output = await outputOf(createBudgetClient({ url: server.url, apiKey: key }));
      expect(output).toBe(await readFile(EXPECTED, "utf8"));
    } finally {
      await server.close();
    }
  });
});
