/**
 * Gateway overhead: the same load client calls a fake OpenAI upstream directly and through the
 * gateway of `budget serve` (SQLite store, bundled prices, one budget over every call), in the same
 * run, each in its own child process. Measures added latency p50/p99 at 1 and 50 concurrent
 * callers with a 50 ms upstream, added time to first byte of 100-chunk streams over ~1 s, the
 * ceiling with an instant upstream (calls/s through the gateway ÷ calls/s direct, autocannon), and
 * each process's CPU time per call (Linux: /proc), steadier than latency on a shared machine. The load
 * client reports its own CPU per call and worst event-loop delay, to show it is not the bottleneck;
 * 50 callers run twice, starting at once (bursts) and spread over one round trip (independent
 * callers). `BENCH_GATEWAY_SCENARIOS` (plain,cpu,stream,ceiling) picks scenarios.
 *
 * With `BENCH_BASELINE_DIR` (older code, prepared by `bench/baseline-checkout.sh`) the baseline's
 * gateways run beside the current ones, against the same upstream, the variants taking turns in
 * rounds so a machine whose load drifts skews none of them more than another.
 *
 * `tsx bench/gateway.ts` runs it standalone; `--serve upstream|gateway|gateway-memory <upstreamUrl>
 * [<root>]` is a child (`<root>`: the checkout whose packages it runs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";

const UPSTREAM_KEY = "sk-bench-upstream-key-0123456789";
const GATEWAY_KEY = "bgt_bench_gateway_key_0123456789abcdef";
const CEILING_SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 6);
const CPU_ROUNDS = Number(process.env.BENCH_GATEWAY_CPU_ROUNDS ?? 8);
const HERE = fileURLToPath(new URL("..", import.meta.url));
// Scenarios to run (default all): plain (50 ms upstream), cpu, stream, ceiling.
const SCENARIOS = new Set((process.env.BENCH_GATEWAY_SCENARIOS ?? "plain,cpu,stream,ceiling").split(","));

/** A module of the checkout at `root` (this one by default), by its path under `packages/`. */
const pkg = (root: string, path: string) => import(pathToFileURL(join(root, "packages", path)).href);

async function serveChild(kind: string, upstreamUrl: string, root: string): Promise<void> {
  if (kind === "upstream") {
    const { startFakeUpstream } = await import("../packages/server/src/testing/fake-upstream.js");
    const up = await startFakeUpstream({ key: UPSTREAM_KEY, chunks: 5, promptTokens: 20 });
    process.stdout.write(`listening on ${up.baseUrl.replace(/\/v1$/, "")}\n`);
    return;
  }
  if (kind === "gateway-memory") return serveOnMemory(upstreamUrl, root);
  if (kind === "proxy") return serveProxy(upstreamUrl);
  const { parseConfig, startServer } = await pkg(root, "server/src/index.ts");
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
 * A bare reverse proxy (node:http server and keep-alive client, no budgeting, no framework): the
 * floor of any gateway's overhead on this machine — one more process and two more loopback hops.
 */
async function serveProxy(upstreamUrl: string): Promise<void> {
  const upstream = new URL(upstreamUrl);
  const pool = new Agent({ keepAlive: true, maxSockets: 1024 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const out = request(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: (req.url ?? "/").replace(/^\/gateway\/openai/, ""),
          headers: {
            "content-type": "application/json",
            "content-length": String(body.length),
            authorization: `Bearer ${UPSTREAM_KEY}`,
          },
          agent: pool,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, {
            "content-type": up.headers["content-type"] ?? "application/json",
          });
          up.pipe(res);
        },
      );
      out.on("error", () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => process.exit(0));
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
}

/**
 * The same gateway over the in-memory store (bundled prices, the same budget and key): isolates
 * the gateway's own cost from the SQLite store's reserve and commit.
 */
async function serveOnMemory(upstreamUrl: string, root: string): Promise<void> {
  const core = await pkg(root, "core/src/index.ts");
  const { createBudgetEngine, createMemoryStore } = core;
  const { createBundledCatalog } = await pkg(root, "prices/src/index.ts");
  const server = await pkg(root, "server/src/index.ts");
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createBundledCatalog() });
  await engine.upsertBudget({
    id: "bench",
    limits: [{ id: "month", window: { type: "month" }, cost: "1000000000" }],
  });
  // A baseline checkout from before the key store moved into core has it in the server.
  const auth = server.createAuth((core.createMemoryKeyStore ?? server.createMemoryKeyStore)());
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

interface Child {
  child: ChildProcess;
  url: string;
}

function startChild(args: string[]): Promise<Child> {
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

/** CPU time (user + system, ms) a process has used so far; null off Linux. */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return null;
  }
}

/**
 * One call: time to the first body byte and to the end, in ms. A kept-alive socket the server
 * closed while idle (between rounds) fails at once: that call is sent again, as Node's docs advise.
 */
async function call(url: string, key: string, body: string): Promise<{ ttfbMs: number; totalMs: number }> {
  try {
    return await callOnce(url, key, body);
  } catch (err) {
    if ((err as { reusedSocket?: boolean }).reusedSocket !== true) throw err;
    return callOnce(url, key, body);
  }
}

function callOnce(url: string, key: string, body: string): Promise<{ ttfbMs: number; totalMs: number }> {
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
    req.on("error", (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

/** A path measured: where it is called, and the process whose CPU time it costs. */
interface Target {
  name: string;
  url: string;
  key: string;
  pid: number | undefined;
}

/** Samples of one target, pooled over rounds. */
interface Samples {
  totals: number[];
  ttfbs: number[];
  cpuMs: number;
  calls: number;
  /** The load client's own CPU time and worst event-loop delay: the client must not be the bottleneck. */
  clientCpuMs: number;
  clientLagP99Ms: number;
}

const emptySamples = (): Samples => ({
  totals: [],
  ttfbs: [],
  cpuMs: 0,
  calls: 0,
  clientCpuMs: 0,
  clientLagP99Ms: 0,
});

/**
 * `callers` loops of `perCaller` calls, added to `into` (with the CPU time of the target's process
 * and the client's own). `spreadMs` > 0 starts caller i after i × spreadMs / callers, as independent
 * callers would; 0 starts them all at once, so every round trip of a fixed-latency upstream comes
 * back as one burst of `callers` calls (the worst case: the last of a burst waits for all the others).
 */
async function load(
  t: Target,
  body: string,
  callers: number,
  perCaller: number,
  into: Samples,
  spreadMs = 0,
) {
  const cpu0 = cpuMsOf(t.pid);
  const client0 = process.cpuUsage();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      if (spreadMs > 0) await new Promise((r) => setTimeout(r, (c * spreadMs) / callers));
      for (let i = 0; i < perCaller; i++) {
        const r = await call(t.url, t.key, body);
        into.totals.push(r.totalMs);
        into.ttfbs.push(r.ttfbMs);
      }
    }),
  );
  lag.disable();
  const cpu1 = cpuMsOf(t.pid);
  if (cpu0 !== null && cpu1 !== null) into.cpuMs += cpu1 - cpu0;
  const client = process.cpuUsage(client0);
  into.clientCpuMs += (client.user + client.system) / 1000;
  into.clientLagP99Ms = Math.max(into.clientLagP99Ms, lag.percentile(99) / 1e6);
  into.calls += callers * perCaller;
}

/** Every target in turn, `rounds` times, so load drifting over the run skews none more than another. */
async function rounds(
  targets: Target[],
  body: string,
  callers: number,
  perCaller: number,
  n: number,
  spreadMs = 0,
) {
  const samples = new Map<string, Samples>(targets.map((t) => [t.name, emptySamples()]));
  for (let r = 0; r < n; r++)
    for (const t of r % 2 === 0 ? targets : [...targets].reverse())
      await load(t, body, callers, perCaller, samples.get(t.name)!, spreadMs);
  const out = new Map<
    string,
    {
      p50: number;
      p99: number;
      ttfb50: number;
      ttfb99: number;
      cpuMsPerCall: number;
      clientCpuMsPerCall: number;
      clientLagP99Ms: number;
    }
  >();
  for (const [name, s] of samples) {
    s.totals.sort((a, b) => a - b);
    s.ttfbs.sort((a, b) => a - b);
    out.set(name, {
      p50: pct(s.totals, 0.5),
      p99: pct(s.totals, 0.99),
      ttfb50: pct(s.ttfbs, 0.5),
      ttfb99: pct(s.ttfbs, 0.99),
      cpuMsPerCall: s.cpuMs / s.calls,
      clientCpuMsPerCall: s.clientCpuMs / s.calls,
      clientLagP99Ms: s.clientLagP99Ms,
    });
  }
  return out;
}

/**
 * CPU time per call of each target's process (median over `n` rounds of `callers` × `perCaller`
 * calls, the targets taking turns): what a call costs the gateway, whatever the machine's load.
 */
async function cpuPerCall(targets: Target[], body: string, callers: number, perCaller: number, n: number) {
  const perRound = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  for (let r = 0; r < n; r++)
    for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
      const s = emptySamples();
      await load(t, body, callers, perCaller, s);
      perRound.get(t.name)?.push(s.cpuMs / s.calls);
    }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
  return new Map([...perRound].map(([name, v]) => [name, median(v)]));
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

const round2 = (v: number) => Math.round(v * 100) / 100;
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Runs the upstream and the gateways (this checkout's, and the baseline's when
 * `BENCH_BASELINE_DIR` is set) as children and measures every path with the same client. Keys
 * without a prefix are this checkout's SQLite gateway; `memory_`, `baseline_` and
 * `baseline_memory_` the others; `proxy_` a bare reverse proxy (the floor of any gateway).
 */
export async function benchGateway(): Promise<GatewayBenchResult> {
  const baselineDir = process.env.BENCH_BASELINE_DIR ?? null;
  const children: Child[] = [];
  const out: GatewayBenchResult = {};
  try {
    const upstream = await startChild(["upstream", "", HERE]);
    children.push(upstream);
    const gateways: { prefix: string; kind: string; root: string }[] = [
      { prefix: "", kind: "gateway", root: HERE },
      { prefix: "memory_", kind: "gateway-memory", root: HERE },
      ...(baselineDir
        ? [
            { prefix: "baseline_", kind: "gateway", root: baselineDir },
            { prefix: "baseline_memory_", kind: "gateway-memory", root: baselineDir },
          ]
        : []),
    ];
    const direct: Target = {
      name: "direct",
      url: `${upstream.url}/v1/chat/completions`,
      key: UPSTREAM_KEY,
      pid: upstream.child.pid,
    };
    const proxy = await startChild(["proxy", upstream.url, HERE]);
    children.push(proxy);
    const via: Target[] = [
      {
        name: "proxy_",
        url: `${proxy.url}/gateway/openai/v1/chat/completions`,
        key: GATEWAY_KEY,
        pid: proxy.child.pid,
      },
    ];
    for (const g of gateways) {
      const child = await startChild([g.kind, upstream.url, g.root]);
      children.push(child);
      via.push({
        name: g.prefix,
        url: `${child.url}/gateway/openai/v1/chat/completions`,
        key: GATEWAY_KEY,
        pid: child.child.pid,
      });
    }
    const all = [direct, ...via];
    const sqliteOnly = [direct, ...via.filter((t) => !t.name.includes("memory"))];
    const plain = chat({}, "[[latency=50]]");
    // Warm-up: JIT, connections, SQLite pages.
    await rounds(all, plain, 20, 10, 1);
    // 50 callers twice: all starting at once (bursts of 50) and spread over one 50 ms round trip.
    const plainScenarios = [
      { label: "c1", callers: 1, perCaller: 40, spreadMs: 0 },
      { label: "c50", callers: 50, perCaller: 6, spreadMs: 0 },
      { label: "c50spread", callers: 50, perCaller: 6, spreadMs: 50 },
    ];
    for (const { label, callers, perCaller, spreadMs } of SCENARIOS.has("plain") ? plainScenarios : []) {
      const r = await rounds(all, plain, callers, perCaller, ROUNDS, spreadMs);
      const d = r.get("direct")!;
      out[`plain50ms_${label}_calls`] = callers * perCaller * ROUNDS;
      out[`plain50ms_${label}_directP50Ms`] = round2(d.p50);
      out[`plain50ms_${label}_directP99Ms`] = round2(d.p99);
      out[`plain50ms_${label}_upstreamCpuMsPerCall`] = round2(d.cpuMsPerCall);
      out[`plain50ms_${label}_clientCpuMsPerCall`] = round3(d.clientCpuMsPerCall);
      out[`plain50ms_${label}_directClientLagP99Ms`] = round2(d.clientLagP99Ms);
      for (const t of via) {
        const g = r.get(t.name)!;
        out[`${t.name}plain50ms_${label}_addedP50Ms`] = round2(g.p50 - d.p50);
        out[`${t.name}plain50ms_${label}_addedP99Ms`] = round2(g.p99 - d.p99);
        out[`${t.name}plain50ms_${label}_gatewayCpuMsPerCall`] = round2(g.cpuMsPerCall);
        out[`${t.name}plain50ms_${label}_clientLagP99Ms`] = round2(g.clientLagP99Ms);
      }
    }
    const instant = chat({}, "");
    // CPU per call, instant upstream, 10 callers: the gateway's own cost, steadier than latency.
    if (SCENARIOS.has("cpu")) {
      const cpu = await cpuPerCall(all, instant, 10, 50, CPU_ROUNDS);
      out.instant_c10_upstreamCpuMsPerCall = round3(cpu.get("direct") ?? 0);
      for (const t of via) out[`${t.name}instant_c10_gatewayCpuMsPerCall`] = round3(cpu.get(t.name) ?? 0);
    }
    const streamed = chat({ stream: true }, "[[chunks=100]] [[interval=10]]");
    for (const [callers, perCaller] of SCENARIOS.has("stream")
      ? ([
          [1, 2],
          [50, 1],
        ] as const)
      : []) {
      const r = await rounds(sqliteOnly, streamed, callers, perCaller, ROUNDS);
      const d = r.get("direct")!;
      out[`stream100_c${callers}_directTtfbP50Ms`] = round2(d.ttfb50);
      for (const t of sqliteOnly.slice(1)) {
        const g = r.get(t.name)!;
        out[`${t.name}stream100_c${callers}_addedTtfbP50Ms`] = round2(g.ttfb50 - d.ttfb50);
        out[`${t.name}stream100_c${callers}_addedTtfbP99Ms`] = round2(g.ttfb99 - d.ttfb99);
        out[`${t.name}stream100_c${callers}_addedTotalP50Ms`] = round2(g.p50 - d.p50);
      }
    }
    const opts = (target: Target): autocannon.Options => ({
      url: target.url,
      method: "POST",
      connections: 50,
      duration: CEILING_SECONDS,
      headers: { authorization: `Bearer ${target.key}`, "content-type": "application/json" },
      body: instant,
    });
    if (!SCENARIOS.has("ceiling")) return out;
    for (const t of sqliteOnly.slice(1)) await cannon({ ...opts(t), duration: 1 });
    const cd = await cannon(opts(direct));
    out.instant_c50_directCallsPerSec = Math.round(cd.requests.average);
    for (const t of sqliteOnly.slice(1)) {
      const cg = await cannon(opts(t));
      out[`${t.name}instant_c50_gatewayCallsPerSec`] = Math.round(cg.requests.average);
      out[`${t.name}instant_c50_ratio`] = round2(cg.requests.average / cd.requests.average);
      out[`${t.name}instant_c50_gatewayErrors`] = cg.errors + cg.non2xx;
    }
    return out;
  } finally {
    agent.destroy();
    for (const c of children) c.child.kill("SIGTERM");
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const serveIdx = process.argv.indexOf("--serve");
  if (serveIdx >= 0)
    await serveChild(
      process.argv[serveIdx + 1] ?? "gateway",
      process.argv[serveIdx + 2] ?? "",
      process.argv[serveIdx + 3] || HERE,
    );
  else console.log(await benchGateway());
}
