/**
 * HTTP throughput: reserve + commit round trips against `budget serve` (SQLite store, bundled
 * prices, one hard-limit budget) beside a bare Hono hello-world, both on loopback, both in child
 * processes, measured in the same run with autocannon at 50 connections; then the same pairs sent
 * as `POST /v1/batch` requests of {@link BATCH_SIZE} operations (a batch of reserves, then a batch
 * committing them), counted in operations per second.
 *
 * `tsx bench/http.ts` runs it standalone; `tsx bench/http.ts --serve budget|hello` is the child.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";

const ADMIN_KEY = "bgt_bench_admin_key_0123456789abcdef";
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
/** Operations per `POST /v1/batch` request. */
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 50);

/** Result of {@link benchHttp}. */
export interface HttpBenchResult {
  /** Requests per second (a round trip is two requests). */
  budgetReqPerSec: number;
  budgetRoundTripsPerSec: number;
  budgetP50Ms: number;
  budgetP99Ms: number;
  budgetErrors: number;
  helloReqPerSec: number;
  helloP50Ms: number;
  helloP99Ms: number;
  /** budget req/s ÷ hello-world req/s (goal ≥ 0.5). */
  ratio: number;
  /** Reserve and commit operations per second through `POST /v1/batch`. */
  batchOpsPerSec: number;
  batchSize: number;
  batchP99Ms: number;
  batchErrors: number;
  /** batch operations/s ÷ hello-world req/s (goal ≥ 0.5). */
  batchRatio: number;
  connections: number;
}

async function serveChild(kind: string): Promise<void> {
  if (kind === "hello") {
    const { Hono } = await import("hono");
    const { serve } = await import("@hono/node-server");
    const app = new Hono().get("/", (c) => c.text("Hello, world!"));
    serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
      process.stdout.write(`listening on http://127.0.0.1:${info.port}\n`);
    });
    return;
  }
  const { parseConfig, startServer } = await import("../packages/server/src/index.js");
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-http-"));
  const config = parseConfig(
    {
      server: { port: 0 },
      database: { file: join(dir, "budget.db") },
      auth: { adminKey: ADMIN_KEY },
      logging: { level: "silent" },
      budgets: [{ id: "bench", limits: [{ id: "month", window: { type: "month" }, cost: "1000000000" }] }],
    },
    {},
  );
  const server = await startServer({ config, handleSignals: true });
  process.stdout.write(`listening on ${server.url}\n`);
}

/**
 * Node flags of both servers: those `npm start` gives the service (a 64 MB young generation: the
 * service allocates ~40 KB per request, and fewer minor GCs cut its tail latency).
 */
const SERVER_NODE_FLAGS = ["--max-semi-space-size=64"];

function startChild(kind: string): Promise<{ child: ChildProcess; url: string }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, "--conditions=@budget/source", "--import", "tsx", self, "--serve", kind],
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
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** A batch of {@link BATCH_SIZE} reserves, then a batch committing the reservations it made. */
function batchRequests(headers: Record<string, string>, reserveBody: string, commitBody: string) {
  const reserve = `{"op":"reserve","request":${reserveBody}}`;
  const usage = JSON.parse(commitBody) as object;
  type Ctx = { ids?: string[] };
  const requests: autocannon.Request[] = [
    {
      method: "POST",
      path: "/v1/batch",
      headers,
      body: `{"operations":[${Array.from({ length: BATCH_SIZE }, () => reserve).join(",")}]}`,
      onResponse: (_status, body, context) => {
        const { results } = JSON.parse(body) as { results: { body: { reservationId?: string } }[] };
        (context as Ctx).ids = results.flatMap((r) => (r.body.reservationId ? [r.body.reservationId] : []));
      },
    },
    {
      method: "POST",
      path: "/v1/batch",
      headers,
      setupRequest: (req, context) => ({
        ...req,
        body: JSON.stringify({
          operations: ((context as Ctx).ids ?? []).map((reservationId) => ({
            op: "commit",
            request: { reservationId, ...usage },
          })),
        }),
      }),
    },
  ];
  return requests;
}

/** Runs both servers and both loads; returns req/s, p50/p99 and the ratio. */
export async function benchHttp(): Promise<HttpBenchResult> {
  const hello = await startChild("hello");
  const budget = await startChild("budget");
  try {
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };
    const reserveBody = JSON.stringify({
      dimensions: { component: "bench", model: "gpt-4o" },
      estimate: { inputTokens: 900, outputTokens: 300 },
    });
    const commitBody = JSON.stringify({ usage: { inputTokens: 880, outputTokens: 240 } });
    // Warm both up (JIT, SQLite page cache) before measuring.
    await run({ url: hello.url, connections: 10, duration: 1 });
    const requests: autocannon.Request[] = [
      {
        method: "POST",
        path: "/v1/reservations",
        headers,
        body: reserveBody,
        onResponse: (_status, body, context) => {
          (context as { reservationId?: string | undefined }).reservationId = (
            JSON.parse(body) as { reservationId?: string }
          ).reservationId;
        },
      },
      {
        method: "POST",
        headers,
        body: commitBody,
        setupRequest: (req, context) => ({
          ...req,
          path: `/v1/reservations/${(context as { reservationId?: string }).reservationId}/commit`,
        }),
      },
    ];
    await run({ url: budget.url, connections: 10, duration: 1, requests });
    const h = await run({ url: hello.url, connections: CONNECTIONS, duration: DURATION_S });
    const b = await run({ url: budget.url, connections: CONNECTIONS, duration: DURATION_S, requests });
    const batched = batchRequests(headers, reserveBody, commitBody);
    await run({ url: budget.url, connections: 10, duration: 1, requests: batched });
    const bb = await run({
      url: budget.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: batched,
    });
    return {
      budgetReqPerSec: b.requests.average,
      budgetRoundTripsPerSec: b.requests.average / 2,
      budgetP50Ms: b.latency.p50,
      budgetP99Ms: b.latency.p99,
      budgetErrors: b.errors + b.non2xx,
      helloReqPerSec: h.requests.average,
      helloP50Ms: h.latency.p50,
      helloP99Ms: h.latency.p99,
      ratio: b.requests.average / h.requests.average,
      batchOpsPerSec: bb.requests.average * BATCH_SIZE,
      batchSize: BATCH_SIZE,
      batchP99Ms: bb.latency.p99,
      batchErrors: bb.errors + bb.non2xx,
      batchRatio: (bb.requests.average * BATCH_SIZE) / h.requests.average,
      connections: CONNECTIONS,
    };
  } finally {
    hello.child.kill("SIGTERM");
    budget.child.kill("SIGTERM");
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const serveIdx = process.argv.indexOf("--serve");
  if (serveIdx >= 0) await serveChild(process.argv[serveIdx + 1] ?? "budget");
  else console.log(await benchHttp());
}
