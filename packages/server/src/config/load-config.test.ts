import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "./load-config.js";

describe("config", () => {
  it("applies defaults, reads YAML, and lets the environment override", () => {
    expect(parseConfig({}, {}).server).toMatchObject({ host: "127.0.0.1", port: 4100 });
    const dir = mkdtempSync(join(tmpdir(), "budget-config-"));
    const file = join(dir, "budget.yaml");
    writeFileSync(
      file,
      [
        "server: { port: 5000 }",
        "budgets:",
        "  - id: team",
        "    limits: [{ id: month, window: { type: month }, cost: '100' }]",
        "webhooks: [{ url: 'https://hooks.example/budget' }]",
      ].join("\n"),
    );
    const config = loadConfig(file, { BUDGET_PORT: "6000", BUDGET_DB: "/tmp/x.db" });
    expect([config.server.port, config.database.file]).toEqual([6000, "/tmp/x.db"]);
    expect(config.budgets[0]?.limits[0]?.enforcement).toBe("hard_limit");
  });

  it("names the field and the problem", () => {
    expect(() => parseConfig({ server: { port: 70000 } }, {})).toThrow(/config: server\.port: .*65535/);
    expect(() => parseConfig({}, { BUDGET_PORT: "eighty" })).toThrow(/config: server\.port:/);
    expect(() =>
      parseConfig({ budgets: [{ id: "b", limits: [{ id: "l", window: { type: "day" } }] }] }, {}),
    ).toThrow(/config: budgets\.0\.limits\.0: a limit needs at least one of/);
    expect(() => parseConfig({ webhooks: [{ url: "not a url" }] }, {})).toThrow(/config: webhooks\.0\.url/);
    expect(() => parseConfig({ surprise: 1 }, {})).toThrow(/config: \(root\): Unrecognized key/);
    expect(parseConfig({}, {}).reservations).toMatchObject({ maxWaitMs: 30_000, maxWaiters: 1000 });
    expect(() => parseConfig({ reservations: { maxWaitMs: -1 } }, {})).toThrow(
      /config: reservations\.maxWaitMs/,
    );
    const dir = mkdtempSync(join(tmpdir(), "budget-config-"));
    writeFileSync(join(dir, "bad.json"), "{ nope");
    expect(() => loadConfig(join(dir, "bad.json"), {})).toThrow(/not valid JSON/);
  });
});
