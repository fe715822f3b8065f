/**
 * Start-up of the built `budget` command (`packages/cli/bin/budget.cjs` on its bundle,
 * `dist/bundle/`, as installed): `budget --help` and `budget status` on a local SQLite file,
 * against `node -e 0` in the same rounds (interleaved, medians), so the ratio holds on a machine
 * whose speed drifts. Goal: each within 3× of `node -e 0`. For comparison, the same `status` from
 * the unbundled `dist/main.js` (what `tsc` alone builds). `npx tsx bench/cli.ts` runs it
 * standalone (it builds first).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "packages/cli/bin/budget.cjs");
const UNBUNDLED = join(ROOT, "packages/cli/dist/main.js");

/** Wall-clock ms of one run of `node …args` (it must succeed). */
function timeRun(args: string[], cwd: string): number {
  const env = { ...process.env, NODE_OPTIONS: "", NO_COLOR: "1" };
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** Runs the CLI start-up bench: `rounds` interleaved rounds (default 15). */
export async function benchCli(rounds = 15): Promise<Record<string, unknown>> {
  execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "budget-cli-bench-"));
  try {
    const db = join(dir, "budget.db");
    const set = ["--db", db, "set", "team", "--limit", "daily", "--window", "day", "--tokens", "100000"];
    execFileSync(process.execPath, [BIN, ...set], { cwd: dir, stdio: "ignore" });
    const cases: Record<string, string[]> = {
      "node -e 0": ["-e", "0"],
      "budget --help": [BIN, "--help"],
      "budget status": [BIN, "--db", db, "status"],
      "budget status, unbundled": [UNBUNDLED, "--db", db, "status"],
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (const args of Object.values(cases)) timeRun(args, dir); // warm the file cache
    for (let i = 0; i < rounds; i++)
      for (const [name, args] of Object.entries(cases)) times[name]?.push(timeRun(args, dir));
    const base = median(times["node -e 0"] ?? []);
    const help = median(times["budget --help"] ?? []);
    const status = median(times["budget status"] ?? []);
    const unbundled = median(times["budget status, unbundled"] ?? []);
    return {
      "node -e 0 median ms": base,
      "budget --help median ms": help,
      "budget status median ms (local SQLite)": status,
      "--help / node -e 0 (goal ≤ 3)": help / base,
      "status / node -e 0 (goal ≤ 3)": status / base,
      "status unbundled (dist/main.js) / node -e 0": unbundled / base,
      rounds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(await benchCli());
