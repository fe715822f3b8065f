/**
 * The Budgets page's first screen at 5,000 budgets, as the server answers it: `GET
 * /v1/status/budgets?offset=0&limit=25` on a server in use, right after 5,000 budgets were stored
 * (the engine reads them in: a fresh visit), then again (a reload). A fresh server (SQLite in
 * memory) per round.
 * With `BENCH_BASELINE_DIR` (a checkout of older code, prepared by `bench/baseline-checkout.sh`)
 * the rounds alternate between that code and this one in the same process; medians.
 */
import { get } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { seedWorkerBudgets } from "@budget/core/testing";

type Server = typeof import("@budget/server");

const KEY = "bgt_bench_budget_page_admin_key_0001";
const ROUNDS = Number(process.env.BENCH_BUDGET_PAGE_ROUNDS ?? 5);
const RELOADS = 9;
const BUDGETS = 5000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function loadServer(root: string | null): Promise<Server> {
  if (!root) return import("@budget/server");
  return (await import(pathToFileURL(join(root, "packages/server/src/index.ts")).href)) as Server;
}

/** One round on a fresh server: the first answer after seeding, and the median of the reloads. */
async function round(impl: Server): Promise<{ fresh: number; reload: number }> {
  const server = await impl.startServer({
    config: impl.serverConfigSchema.parse({
      server: { port: 0 },
      database: { file: ":memory:" },
      auth: { adminKey: KEY },
      logging: { level: "silent" },
    }),
  });
  try {
    // A new connection per request: a keep-alive one may close while the seed runs.
    const time = (budgets = BUDGETS) =>
      new Promise<number>((resolve, reject) => {
        const t = performance.now();
        const url = `${server.url}/v1/status/budgets?offset=0&limit=25`;
        get(url, { agent: false, headers: { authorization: `Bearer ${KEY}` } }, (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => {
            body += chunk;
          });
          res.on("end", () => {
            const total = (JSON.parse(body) as { total?: number }).total;
            if (res.statusCode === 200 && total === budgets) resolve(performance.now() - t);
            else reject(new Error(`HTTP ${res.statusCode}, ${total} budgets`));
          });
        }).on("error", reject);
      });
    // A server already in use (its routes and engine warm), as a person finds it.
    await time(0);
    await seedWorkerBudgets(server.engine, BUDGETS);
    const fresh = await time();
    const reloads: number[] = [];
    for (let i = 0; i < RELOADS; i++) reloads.push(await time());
    return { fresh, reload: median(reloads) };
  } finally {
    await server.close();
  }
}

/** Runs the bench; returns medians in ms (and ratios to the baseline when one is given). */
export async function benchBudgetPage(): Promise<Record<string, number>> {
  const baselineDir = process.env.BENCH_BASELINE_DIR ?? null;
  const impls = [{ label: "new", impl: await loadServer(null) }];
  if (baselineDir) impls.push({ label: "old", impl: await loadServer(baselineDir) });
  const runs = new Map(impls.map((i) => [i.label, { fresh: [] as number[], reload: [] as number[] }]));
  for (let r = 0; r < ROUNDS; r++)
    for (const { label, impl } of r % 2 ? [...impls].reverse() : impls) {
      const { fresh, reload } = await round(impl);
      runs.get(label)?.fresh.push(fresh);
      runs.get(label)?.reload.push(reload);
    }
  const out: Record<string, number> = {};
  for (const [label, m] of runs) {
    out[`${label}: first answer after seeding 5,000 budgets, median ms`] = median(m.fresh);
    out[`${label}: the same page again, median ms`] = median(m.reload);
  }
  const [now, old] = [runs.get("new"), runs.get("old")];
  if (now && old) {
    out["new / old, first answer"] = median(now.fresh) / median(old.fresh);
    out["new / old, again"] = median(now.reload) / median(old.reload);
  }
  return out;
}
