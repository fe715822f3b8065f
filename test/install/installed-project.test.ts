/**
 * Budget in a user's own project: every package packed with `npm pack`, the tarballs installed
 * into an empty project in a temporary folder (no workspace links, no tsx; offline, from the
 * tarballs and the npm cache), and used there as a user would.
 */
import { execFile, spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstOwnLine } from "./npm-start.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACKAGES = ["core", "calls", "prices", "store", "client", "integrations", "dashboard", "server", "cli"];
const run = promisify(execFile);

/** The environment of the user's project: nothing of this repository's (no source condition). */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const k of Object.keys(env))
    if (
      /^(NODE_OPTIONS|VITEST|BUDGET_)/.test(k) ||
      k.startsWith("npm_package") ||
      k.startsWith("npm_lifecycle")
    )
      delete env[k];
  // better-sqlite3 compiles from source offline: the Node headers of this machine's Node, if any.
  if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h")) env.npm_config_nodedir = "/usr";
  return env;
}

/** The README's library snippet (the TypeScript block that creates an engine). */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].find((m) =>
    m[1]?.includes("createBudgetEngine"),
  );
  if (!block?.[1]) throw new Error("README.md has no ```ts block with createBudgetEngine");
  return block[1];
}

function peerRange(pkg: string, dep: string): string {
  const m = JSON.parse(readFileSync(join(ROOT, "packages", pkg, "package.json"), "utf8"));
  return m.peerDependencies[dep];
}

let project: string;
const exec = (file: string, args: string[], timeoutMs = 120_000) =>
  run(file, args, { cwd: project, env: userEnv(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
const budget = (...args: string[]) => exec(join(project, "node_modules/.bin/budget"), args);

describe("Budget installed from its tarballs into an empty project", { timeout: 900_000 }, () => {
  beforeAll(async () => {
    await run(process.execPath, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT, timeout: 600_000 });
    project = mkdtempSync(join(tmpdir(), "budget-user-"));
    const tarballs = join(project, "tarballs");
    mkdirSync(tarballs);
    const dependencies: Record<string, string> = {};
    for (const name of PACKAGES) {
      const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", tarballs], {
        cwd: join(ROOT, "packages", name),
        env: userEnv(),
      });
      const [info] = JSON.parse(stdout) as { filename: string }[];
      dependencies[`@budget/${name}`] = `file:./tarballs/${info?.filename}`;
    }
    dependencies["better-sqlite3"] = peerRange("store", "better-sqlite3");
    dependencies.openai = peerRange("integrations", "openai");
    const devDependencies = {
      typescript: JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies.typescript,
    };
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify(
        { name: "budget-user", private: true, type: "module", dependencies, devDependencies },
        null,
        2,
      ),
    );
    const flags = ["install", "--no-audit", "--no-fund", "--ignore-scripts=false"];
    // Offline only: a package missing from the cache fails the install (ENOTCACHED), never the network.
    await exec("npm", [...flags, "--offline"], 600_000);
  }, 900_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it("installs compiled packages only: no TypeScript sources, no workspace links, no tsx", () => {
    for (const name of PACKAGES) {
      const dir = join(project, "node_modules/@budget", name);
      expect(existsSync(join(dir, "dist"))).toBe(true);
      expect(existsSync(join(dir, "src"))).toBe(false);
    }
    expect(existsSync(join(project, "node_modules/tsx"))).toBe(false);
    expect(existsSync(join(project, "node_modules/vitest"))).toBe(false);
  });

  it("runs the README's library snippet as plain Node ESM", async () => {
    writeFileSync(
      join(project, "snippet.mjs"),
      `${readmeSnippet()}\nconsole.log(JSON.stringify({ status: r.status }));\n`,
    );
    const { stdout } = await exec(process.execPath, ["snippet.mjs"]);
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "")).toEqual({ status: "allowed" });
    expect(existsSync(join(project, "data/budget.db"))).toBe(true);
  });

  it("type-checks the README's library snippet under tsc --strict", async () => {
    const snippet = readmeSnippet();
    writeFileSync(join(project, "snippet.ts"), `${snippet}\nexport {};\n`);
    // The control: the snippet without its denial check reads `reservationId` off a result that
    // may be denied, which only the installed packages' strict types can reject.
    const unchecked = snippet.replace(/^if \(r\.status === "denied"\).*$/m, "");
    expect(unchecked).not.toBe(snippet);
    writeFileSync(join(project, "unchecked.ts"), `${unchecked}\nexport {};\n`);
    const tsconfig = (file: string) =>
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          noEmit: true,
          types: [],
        },
        files: [file],
      });
    writeFileSync(join(project, "tsconfig.json"), tsconfig("snippet.ts"));
    writeFileSync(join(project, "tsconfig.unchecked.json"), tsconfig("unchecked.ts"));
    const tsc = (config: string) =>
      exec(process.execPath, ["node_modules/typescript/bin/tsc", "-p", config, "--listFiles"]);

    // Exit code 0 (exec rejects otherwise), nothing but the files it checked, among them the
    // snippet and the packages' own declarations.
    const { stdout } = await tsc("tsconfig.json");
    const files = stdout.trim().split("\n");
    expect(files).toContain(join(project, "snippet.ts"));
    expect(files).toContain(join(project, "node_modules/@budget/core/dist/index.d.ts"));
    expect(stdout).not.toContain("error TS");

    const failed = await tsc("tsconfig.unchecked.json").then(
      () => null,
      (err: { code: number; stdout: string }) => err,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stdout).toMatch(/unchecked\.ts\(\d+,\d+\): error TS2339: Property 'reservationId'/);
  });

  it("runs the installed budget command: --version, set, status --json", async () => {
    const version = JSON.parse(readFileSync(join(ROOT, "packages/cli/package.json"), "utf8")).version;
    expect((await budget("--version")).stdout.trim()).toBe(version);
    const db = join(project, "cli.db");
    await budget(
      "--db",
      db,
      "set",
      "team",
      "--limit",
      "daily",
      "--window",
      "day",
      "--tokens",
      "100000",
      "--cost",
      "25",
    );
    const status = JSON.parse((await budget("--db", db, "status", "--json")).stdout);
    expect(JSON.stringify(status)).toContain('"team"');
    expect(JSON.stringify(status)).toContain('"daily"');
  });

  it("starts the server from the installed package, reserves and commits through @budget/client, and wraps openai", async () => {
    const script = `
import { createBudgetClient } from "@budget/client";
import { withBudget } from "@budget/integrations/openai";
import { startMockOpenAI } from "@budget/integrations/testing";
import { parseConfig, startServer } from "@budget/server";
import OpenAI from "openai";

const adminKey = "bgt_installed_project_admin_key_0123456789";
const config = parseConfig({
  server: { port: 0 },
  database: { file: "./server.db" },
  logging: { level: "silent" },
  auth: { adminKey },
  budgets: [{ id: "planner", scope: { component: "planner" }, limits: [{ id: "month", window: { type: "month" }, cost: "100" }] }],
}, {});
const server = await startServer({ config });
const mock = await startMockOpenAI();
try {
  const client = createBudgetClient({ url: server.url, apiKey: adminKey });
  const r = await client.reserve({ dimensions: { component: "planner", provider: "openai", model: "gpt-4o" }, estimate: { inputTokens: 900, outputTokens: 500 } });
  if (r.status !== "allowed") throw new Error("denied: " + r.denial.message);
  const committed = await client.commit({ reservationId: r.reservationId, usage: { inputTokens: 900, outputTokens: 212 } });
  const openai = withBudget(new OpenAI({ baseURL: mock.baseURL, apiKey: "test", maxRetries: 0 }), { client, dimensions: { component: "planner" } });
  const reply = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi [[tokens=5]]" }], max_tokens: 50 });
  const [status] = await client.status({ budgetId: "planner" });
  const dashboard = await fetch(server.url + "/");
  console.log(JSON.stringify({
    cost: committed.event?.costNanoUsd?.toString() ?? null,
    reply: reply.choices[0]?.message.content,
    requests: status?.used.requests,
    tokens: status?.used.tokens,
    dashboard: dashboard.status + " " + dashboard.headers.get("content-type"),
  }));
} finally {
  await mock.close();
  await server.close();
}
`;
    writeFileSync(join(project, "server.mjs"), script);
    const { stdout } = await exec(process.execPath, ["server.mjs"]);
    const out = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
    expect(out.reply).toBe("ok ok ok ok ok");
    expect(out.requests).toBe(2);
    expect(out.tokens).toBeGreaterThan(900 + 212);
    expect(out.dashboard).toBe("200 text/html; charset=utf-8");
  });

  it("leaves the registry metadata a user sees: licenses, no private package", () => {
    for (const name of readdirSync(join(project, "node_modules/@budget"))) {
      const m = JSON.parse(readFileSync(join(project, "node_modules/@budget", name, "package.json"), "utf8"));
      expect(m.private).toBeUndefined();
      expect(m.license).toBe("MIT");
      expect(existsSync(join(project, "node_modules/@budget", name, "LICENSE"))).toBe(true);
    }
  });
});

/** `npm start` in the repository: builds when needed, says which store it opened, stops on SIGTERM. */
describe("npm start", { timeout: 600_000 }, () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    it(`serves on SQLite, names the store, and stops on ${signal}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "budget-start-"));
      const db = join(dir, "budget.db");
      const env = { ...userEnv(), BUDGET_PORT: "0", BUDGET_DB: db, BUDGET_LOG_LEVEL: "warn" };
      const child = spawn("npm", ["start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/\S+) .*\n/.exec(out);
          if (m?.[1]) resolve(m[1]);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
      });
      expect(firstOwnLine(out)).toBe(`Budget listening on ${url} (store: SQLite ${db})`);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill(signal);
      await exited;
      // The server process itself is gone, not just npm: its port refuses connections.
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      rmSync(dir, { recursive: true, force: true });
    });
});
