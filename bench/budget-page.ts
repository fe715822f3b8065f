/**
 * The Budgets page's first screen at 5,000 budgets, as the server answers it: the requests the
 * dashboard made before `GET /v1/status/budgets` (the status summary, the 500 statuses closest to
 * their limits and the 25 definitions of the page, in flight together as the browser sent them)
 * against the one request it makes now. Same server (SQLite in memory), alternating, medians.
 */
import { serverConfigSchema, startServer } from "@budget/server";

const KEY = "bgt_bench_budget_page_admin_key_0001";
const ROUNDS = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Runs the bench; returns medians in ms and the ratio of the new screen to the old. */
export async function benchBudgetPage(): Promise<Record<string, number>> {
  const server = await startServer({
    config: serverConfigSchema.parse({
      server: { port: 0 },
      database: { file: ":memory:" },
      auth: { adminKey: KEY },
      logging: { level: "silent" },
    }),
  });
  try {
    for (let i = 0; i < 5000; i++)
      await server.engine.upsertBudget({
        id: `worker-${i}`,
        scope: { worker: `w${i}` },
        limits: [
          { id: "day", window: { type: "day" }, tokens: 1000, enforcement: i % 2 ? "warn" : "hard_limit" },
        ],
      });
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return res.json() as Promise<{ items: { budgetId: string }[] }>;
    };
    const old = async () => {
      const [, status] = await Promise.all([
        get("/v1/status/summary?top=0"),
        get("/v1/status?order=utilization&limit=500"),
      ]);
      await Promise.all(status.items.slice(0, 25).map((s) => get(`/v1/budgets/${s.budgetId}`)));
    };
    const now = () => get("/v1/status/budgets?offset=0&limit=25");
    const time = async (f: () => Promise<unknown>) => {
      const t = performance.now();
      await f();
      return performance.now() - t;
    };
    // The first call reads the 5,000 new budgets into the engine: measured apart.
    const cold = await time(now);
    const olds: number[] = [];
    const news: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      olds.push(await time(old));
      news.push(await time(now));
    }
    return {
      "first answer after seeding 5,000 budgets, ms": cold,
      "old first screen (summary + 500 statuses + 25 definitions), median ms": median(olds),
      "new first screen (GET /v1/status/budgets), median ms": median(news),
      "new / old": median(news) / median(olds),
    };
  } finally {
    await server.close();
  }
}
