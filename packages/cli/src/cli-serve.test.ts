import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUDGET_NODE_ARGS, runBudget } from "./testing/run-budget.js";

const dir = mkdtempSync(join(tmpdir(), "budget-cli-serve-"));
let server: ChildProcess | undefined;

afterAll(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `budget serve --port 0` and waits for the URL and the first-start admin key. */
function startServe(): Promise<{ url: string; adminKey: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [...BUDGET_NODE_ARGS, "--db", join(dir, "budget.db"), "serve", "--port", "0"],
    {
      cwd: dir,
      env: {
        ...process.env,
        NO_COLOR: "1",
        BUDGET_LOG_LEVEL: "silent",
        BUDGET_CONFIG: undefined,
        BUDGET_ADMIN_KEY: undefined,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const adminKey = /(bgt_[A-Za-z0-9_-]+)/.exec(out)?.[1];
      if (url && adminKey) resolve({ url, adminKey, child });
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

describe("budget serve (spawned binary)", { timeout: 180_000 }, () => {
  it("serves the local database over HTTP with a first-start admin key, and stops cleanly on SIGTERM", async () => {
    const started = await startServe();
    server = started.child;
    const health = await fetch(`${started.url}/healthz`);
    expect(health.status).toBe(200);
    const remote = (...args: string[]) =>
      runBudget(["--url", started.url, "--api-key", started.adminKey, ...args]);
    const cost = await remote("cost", "--model", "gpt-4o", "--input", "1000000", "--json");
    expect(cost.code).toBe(0);
    expect(cost.json()).toMatchObject({ costUsd: "2.500000000", pricing: "priced" });
    const noKey = await runBudget(["--url", started.url, "status"]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/API key/);
    const exited = new Promise<number | null>((r) => server?.on("exit", (code) => r(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
