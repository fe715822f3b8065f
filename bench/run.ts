/**
 * Runs every benchmark side by side with its baseline and prints a Markdown section with the
 * machine and date; `--write` appends it to bench/RESULTS.md. `--only engine,cost` picks some.
 */
import { appendFileSync } from "node:fs";
import os from "node:os";

type Bench = () => Promise<Record<string, unknown>>;

const benches: Record<string, () => Promise<Bench>> = {
  engine: async () => (await import("./engine.js")).benchEngine as unknown as Bench,
  cost: async () => (await import("./cost.js")).benchCost as unknown as Bench,
  store: async () => (await import("./store.js")).benchStore as unknown as Bench,
  slices: async () => (await import("./slices.js")).benchSlices as unknown as Bench,
  http: async () => (await import("./http.js")).benchHttp as unknown as Bench,
  cli: async () => (await import("./cli.js")).benchCli as unknown as Bench,
  budgets: async () => (await import("./budgets.js")).benchBudgets as unknown as Bench,
  gateway: async () => (await import("./gateway.js")).benchGateway as unknown as Bench,
  shaping: async () => (await import("./shaping.js")).benchShaping as unknown as Bench,
};

const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const only = onlyArg ? onlyArg.split(",") : Object.keys(benches);

const fmt = (v: unknown): string =>
  typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 0)) : JSON.stringify(v);

const lines = [
  `## ${new Date().toISOString().slice(0, 10)} — ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, ${Math.round(
    os.totalmem() / 2 ** 30,
  )} GiB, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(1)}`,
  "",
  "| bench | metric | value |",
  "|---|---|---|",
];
for (const name of only) {
  const load = benches[name];
  if (!load) throw new Error(`unknown bench ${name}; known: ${Object.keys(benches).join(", ")}`);
  process.stderr.write(`running ${name}…\n`);
  const result = await (await load())();
  for (const [metric, value] of Object.entries(result)) lines.push(`| ${name} | ${metric} | ${fmt(value)} |`);
}
const section = `${lines.join("\n")}\n`;
console.log(section);
if (args.includes("--write")) appendFileSync(new URL("./RESULTS.md", import.meta.url), `\n${section}`);
