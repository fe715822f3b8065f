/**
 * Gateway overhead: the same load client calls a fake OpenAI upstream directly and through the
 * gateway of `budget serve` (SQLite store, bundled prices, one budget over every call), in the same
 * run, each in its own child process. Measures added latency p50/p99 at 1 and 50 concurrent
 * callers with a 50 ms upstream, added time to first byte of 100-chunk streams over ~1 s, and the
 * ceiling with an instant upstream (calls/s through the gateway ÷ calls/s direct, autocannon).
 *
 * `tsx bench/gateway.ts` runs it standalone; `--serve upstream|gateway <upstreamUrl>` is a child.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";

const UPSTREAM_KEY = "sk-bench-upstream-key-0123456789";
const GATEWAY_KEY = "bgt_bench_gateway_key_0123456789abcdef";
const CEILING_SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 5);

async function serveChild(kind: string, upstreamUrl: string): Promise<void> {
  if (kind === "upstream") {
    const { startFakeUpstream } = await import("../packages/server/src/testing/fake-upstream.js");
    const up = await startFakeUpstream({ key: UPSTREAM_KEY, chunks: 5, promptTokens: 20 });
    process.stdout.write(`listening on ${up.baseUrl.replace(/\/v1$/, "")}\n`);
    return;
  }
  if (kind === "gateway-memory") return serveOnMemory(upstreamUrl);
  const { parseConfig, startServer } = await import("../packages/server/src/index.js");
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-gateway-"));
  const config = parseConfig(
    {
      server: { port: 0 },
      database: { file: join(dir, "budget.db") },
      auth: {
        keys: [{ name: "bench", role: "gateway", key: GATEWAY_KEY, dimensions: { component: "bench" } }],
      },
      logging: { level: "silent" },
      budgets: [{ id: "bench", limits: [{ id: "month", window: { type: "month" }, cost: "1000000000" }] }],
      gateway: {
        upstreams: [{ id: "openai", api: "openai", baseUrl: `${upstreamUrl}/v1`, apiKey: UPSTREAM_KEY }],
      },
    },
    {},
  );
  const server = await startServer({ config, handleSignals: true });
  process.stdout.write(`listening on ${server.url}\n`);
}

/**
 * The same gateway over the in-memory store (bundled prices, the same budget and key): isolates
 * the gateway's own cost from the SQLite store's reserve and commit.
 */
async function serveOnMemory(upstreamUrl: string): Promise<void> {
  const { createBudgetEngine, createMemoryKeyStore, createMemoryStore } = await import("@budget/core");
  const { createBundledCatalog } = await import("@budget/prices");
  const server = await import("../packages/server/src/index.js");
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createBundledCatalog() });
  await engine.upsertBudget({
    id: "bench",
    limits: [{ id: "month", window: { type: "month" }, cost: "1000000000" }],
  });
  const auth = server.createAuth(createMemoryKeyStore());
  await auth.createKey({
    name: "bench",
    role: "gateway",
    secret: GATEWAY_KEY,
    dimensions: { component: "bench" },
  });
  const config = server.gatewayConfigSchema.parse({
    upstreams: [{ id: "openai", api: "openai", baseUrl: `${upstreamUrl}/v1`, apiKey: UPSTREAM_KEY }],
  });
  const app = server.createBudgetApp({ engine, keys: auth, gateway: { config } });
  const listening = await server.listen(app.fetch);
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => process.exit(0));
  process.stdout.write(`listening on ${listening.url}\n`);
}

function startChild(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ["--max-semi-space-size=64", "--conditions=@budget/source", "--import", "tsx", self, "--serve", ...args],
    {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1] });
    });
    child.once("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One call: time to the first body byte and to the end, in ms. */
function call(url: string, key: string, body: string): Promise<{ ttfbMs: number; totalMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      },
      (res) => {
        let ttfbMs = -1;
        res.on("data", () => {
          if (ttfbMs < 0) ttfbMs = performance.now() - started;
        });
        res.on("end", () =>
          res.statusCode === 200
            ? resolve({ ttfbMs, totalMs: performance.now() - started })
            : reject(new Error(`status ${res.statusCode}`)),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

/** `callers` loops of `perCaller` calls; p50/p99 of total time and of time to first byte. */
async function load(url: string, key: string, body: string, callers: number, perCaller: number) {
  const totals: number[] = [];
  const ttfbs: number[] = [];
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < perCaller; i++) {
        const r = await call(url, key, body);
        totals.push(r.totalMs);
        ttfbs.push(r.ttfbMs);
      }
    }),
  );
  totals.sort((a, b) => a - b);
  ttfbs.sort((a, b) => a - b);
  return { p50: pct(totals, 0.5), p99: pct(totals, 0.99), ttfb50: pct(ttfbs, 0.5), ttfb99: pct(ttfbs, 0.99) };
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, r) => (err ? reject(err) : resolve(r))));
}

const chat = (extra: Record<string, unknown>, directive: string) =>
  JSON.stringify({
    model: "gpt-4o",
    messages: [{ role: "user", content: `Summarize the quarterly report in one line. ${directive}` }],
    max_tokens: 200,
    ...extra,
  });

/** Result of {@link benchGateway}: ms figures are gateway minus direct, in the same run. */
export type GatewayBenchResult = Record<string, number>;

/** Runs the upstream and the gateway as children and measures both paths with the same client. */
export async function benchGateway(): Promise<GatewayBenchResult> {
  const upstream = await startChild(["upstream", ""]);
  const gateway = await startChild(["gateway", upstream.url]);
  const memory = await startChild(["gateway-memory", upstream.url]);
  const direct = { url: `${upstream.url}/v1/chat/completions`, key: UPSTREAM_KEY };
  const via = { url: `${gateway.url}/gateway/openai/v1/chat/completions`, key: GATEWAY_KEY };
  const viaMemory = { url: `${memory.url}/gateway/openai/v1/chat/completions`, key: GATEWAY_KEY };
  const out: GatewayBenchResult = {};
  try {
    const plain = chat({}, "[[latency=50]]");
    // Warm-up: JIT, connections, SQLite pages.
    await load(via.url, via.key, plain, 20, 10);
    await load(direct.url, direct.key, plain, 20, 10);
    await load(viaMemory.url, viaMemory.key, plain, 20, 10);
    for (const [callers, perCaller] of [
      [1, 100],
      [50, 20],
    ] as const) {
      const d = await load(direct.url, direct.key, plain, callers, perCaller);
      const g = await load(via.url, via.key, plain, callers, perCaller);
      const m = await load(viaMemory.url, viaMemory.key, plain, callers, perCaller);
      out[`plain50ms_c${callers}_directP50Ms`] = d.p50;
      out[`plain50ms_c${callers}_gatewayP50Ms`] = g.p50;
      out[`plain50ms_c${callers}_addedP50Ms`] = g.p50 - d.p50;
      out[`plain50ms_c${callers}_addedP99Ms`] = g.p99 - d.p99;
      out[`plain50ms_c${callers}_memoryStoreAddedP50Ms`] = m.p50 - d.p50;
      out[`plain50ms_c${callers}_memoryStoreAddedP99Ms`] = m.p99 - d.p99;
    }
    const streamed = chat({ stream: true }, "[[chunks=100]] [[interval=10]]");
    for (const [callers, perCaller] of [
      [1, 5],
      [50, 2],
    ] as const) {
      const d = await load(direct.url, direct.key, streamed, callers, perCaller);
      const g = await load(via.url, via.key, streamed, callers, perCaller);
      out[`stream100_c${callers}_directTtfbP50Ms`] = d.ttfb50;
      out[`stream100_c${callers}_addedTtfbP50Ms`] = g.ttfb50 - d.ttfb50;
      out[`stream100_c${callers}_addedTtfbP99Ms`] = g.ttfb99 - d.ttfb99;
      out[`stream100_c${callers}_addedTotalP50Ms`] = g.p50 - d.p50;
    }
    const instant = chat({}, "");
    const opts = (target: { url: string; key: string }): autocannon.Options => ({
      url: target.url,
      method: "POST",
      connections: 50,
      duration: CEILING_SECONDS,
      headers: { authorization: `Bearer ${target.key}`, "content-type": "application/json" },
      body: instant,
    });
    await cannon({ ...opts(via), duration: 1 });
    const cd = await cannon(opts(direct));
    const cg = await cannon(opts(via));
    out.instant_c50_directCallsPerSec = cd.requests.average;
    out.instant_c50_gatewayCallsPerSec = cg.requests.average;
    out.instant_c50_ratio = cg.requests.average / cd.requests.average;
    out.instant_c50_gatewayErrors = cg.errors + cg.non2xx;
    return out;
  } finally {
    agent.destroy();
    upstream.child.kill("SIGTERM");
    gateway.child.kill("SIGTERM");
    memory.child.kill("SIGTERM");
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const serveIdx = process.argv.indexOf("--serve");
  if (serveIdx >= 0)
    await serveChild(process.argv[serveIdx + 1] ?? "gateway", process.argv[serveIdx + 2] ?? "");
  else console.log(await benchGateway());
}
