/**
 * The README's set-up on a fresh clone: `npm install` (offline, from the npm cache) leaves
 * `git status` clean, and `npm start` builds, serves the API and the dashboard on SQLite, names
 * its store and stops on SIGTERM. (`npm test` on a fresh clone is what CI itself runs.)
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { firstOwnLine } from "./npm-start.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env))
    if (
      /^(NODE_OPTIONS|VITEST|BUDGET_)/.test(k) ||
      k.startsWith("npm_package") ||
      k.startsWith("npm_lifecycle")
    )
      delete env[k];
  if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h")) env.npm_config_nodedir = "/usr";
  return env;
}

describe("a fresh clone", { timeout: 900_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "budget-clone-"));
  const clone = join(dir, "budget");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("npm install leaves git status clean; npm start serves on SQLite and stops on SIGTERM", async () => {
    const { stdout: head } = await run("git", ["rev-parse", "HEAD"], { cwd: ROOT });
    await run("git", ["clone", "--quiet", "--no-checkout", ROOT, clone]);
    await run("git", ["checkout", "--quiet", head.trim()], { cwd: clone });
    const env = cleanEnv();
    const install = ["install", "--no-audit", "--no-fund"];
    await run("npm", [...install, "--offline"], { cwd: clone, env, timeout: 600_000 }).catch(() =>
      run("npm", [...install, "--prefer-offline"], { cwd: clone, env, timeout: 600_000 }),
    );
    expect((await run("git", ["status", "--porcelain"], { cwd: clone })).stdout).toBe("");

    const child = spawn("npm", ["start"], {
      cwd: clone,
      env: { ...env, BUDGET_PORT: "0", BUDGET_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d.toString();
        // The first start prints the admin key right after the address: wait for both.
        const m = /listening on (http:\/\/\S+)[\s\S]*Admin API key/.exec(out);
        if (m?.[1]) resolve(m[1]);
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
    // The first line it prints says which store it opened and where.
    expect(firstOwnLine(out)).toBe(
      `Budget listening on ${url} (store: SQLite ${join(clone, "data/budget.db")})`,
    );
    expect(out).toMatch(/Admin API key \(shown once, store it now\): bgt_/);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const page = await fetch(`${url}/`);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    // What the start built and wrote is git-ignored.
    expect((await run("git", ["status", "--porcelain"], { cwd: clone })).stdout).toBe("");
  });
});
