import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { cliBundleOptions } from "../../../scripts/cli-bundle.mjs";

const SRC = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(SRC, "../../..");

/** Static value imports (not `import type`, not `import()`) of one source file. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)) {
    if (!m[1] && m[2]) out.push(m[2]);
  }
  for (const m of text.matchAll(/^import\s+"([^"]+)";/gm)) if (m[1]) out.push(m[1]);
  return out;
}

/** Every module `entry` (default `main.ts`) loads: its static value imports, followed. */
function startUpGraph(entry = "main.ts"): { local: Set<string>; external: Set<string> } {
  const local = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (local.has(file)) return;
    local.add(file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else external.add(spec);
    }
  };
  visit(join(SRC, entry));
  return { local, external };
}

describe("budget start-up", () => {
  it("loads neither core's index nor zod before a command runs (--help stays fast)", () => {
    const { local, external } = startUpGraph();
    expect(local.size).toBeGreaterThan(10);
    expect([...external].filter((s) => s === "@budget/core" || s === "zod" || s.startsWith("zod/"))).toEqual(
      [],
    );
    expect(external.has("@budget/core/basics")).toBe(true);
    // Node's readline (reset's prompt) loads when a prompt is shown.
    expect([...external].filter((s) => s.startsWith("node:readline"))).toEqual([]);
    // Backends (the store, the server's settings, the HTTP client) load when a command first asks.
    const backends = [...local].filter((f) => f.startsWith(join(SRC, "backend")));
    expect(backends.map((f) => f.slice(SRC.length + 1))).toEqual([]);
    expect([...external].filter((s) => s.startsWith("@budget/server"))).toEqual([]);
  });

  it("manages a local database's keys without loading the server", () => {
    const { external } = startUpGraph("backend/local-backend.ts");
    expect(external.has("@budget/core")).toBe(true);
    expect([...external].filter((s) => s === "@budget/server")).toEqual([]);
  });
});

/** The outputs a run loads: `roots` and every chunk they import statically, followed. */
function loadedOutputs(meta: Metafile, roots: string[]): Set<string> {
  const loaded = new Set<string>();
  const visit = (out: string) => {
    if (loaded.has(out)) return;
    loaded.add(out);
    for (const i of meta.outputs[out]?.imports ?? [])
      if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  for (const r of roots) visit(r);
  return loaded;
}

/** The output (chunk) whose entry is the source file `file` (an entry or a dynamic import's target). */
function outputOf(meta: Metafile, file: string): string {
  const rel = relative(ROOT, file);
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === rel);
  if (!found) throw new Error(`no chunk starts at ${rel}`);
  return found[0];
}

describe("the budget bundle (scripts/cli-bundle.mjs, what the installed command runs)", () => {
  let meta: Metafile;
  beforeAll(async () => {
    const { build } = await import("esbuild");
    const outdir = join(ROOT, "node_modules/.cache/cli-bundle-test");
    const result = await build(
      cliBundleOptions({ entry: join(SRC, "main.ts"), outdir, conditions: ["@budget/source"], write: false }),
    );
    meta = result.metafile;
  });

  const inputsOf = (outs: Set<string>) =>
    [...outs].flatMap((o) => Object.keys(meta.outputs[o]?.inputs ?? {}));
  const entry = () => outputOf(meta, join(SRC, "main.ts"));
  const statusRun = () =>
    loadedOutputs(meta, [
      entry(),
      outputOf(meta, join(SRC, "backend/open-backend.ts")),
      outputOf(meta, join(SRC, "backend/local-backend.ts")),
      outputOf(meta, join(ROOT, "packages/store/src/sqlite/index.ts")),
    ]);
  const bytes = (outs: Set<string>) => [...outs].reduce((n, o) => n + (meta.outputs[o]?.bytes ?? 0), 0);

  it("--help loads the command definitions only: no zod, no backend, no store", () => {
    const inputs = inputsOf(loadedOutputs(meta, [entry()]));
    expect(
      inputs.filter((f) => /node_modules\/zod\/|packages\/(store|server|prices|client)\//.test(f)),
    ).toEqual([]);
    expect(inputs.filter((f) => f.includes("packages/cli/src/backend/"))).toEqual([]);
  });

  it("status on a local file loads the SQLite store and the engine, not the server, the prices or the HTTP client", () => {
    const inputs = inputsOf(statusRun());
    // The server's settings (its config schemas) are in; the service itself is not.
    expect(inputs).toContain("packages/server/src/config/settings.ts");
    expect(inputs).toContain("packages/store/src/sqlite/sqlite-store.ts");
    expect(inputs).toContain("packages/core/src/engine/status.ts");
    const heavy =
      /packages\/prices\/(?!src\/sources\/source-types)|packages\/(calls|integrations|dashboard)\/|packages\/server\/src\/(index|main|start-server)\.ts|packages\/server\/src\/(app|routes|http|node|events|export|metrics|logging|catalog|reliability)\/|packages\/store\/src\/postgres\/|packages\/cli\/src\/backend\/(remote-backend|local-prices|local-catalog)|node_modules\/(hono|@hono|pino|prom-client|gpt-tokenizer|pg|croner)\/|zod\/v4\/locales\/(?!en\.js|index\.js)/;
    expect(inputs.filter((f) => heavy.test(f))).toEqual([]);
  });

  it("status on a local file parses under 1 MB of JavaScript in under 25 files", () => {
    // ~890 kB in 16 files when written (zod ~290 kB, Kysely and the store ~265 kB, the command
    // definitions ~180 kB, core ~115 kB); unbundled it was ~250 modules. A new static import of
    // something large (the price catalog, the server, zod's locales) fails here: the server's
    // config once took its price-feed names from `@budget/prices`' index, +730 kB.
    const run = statusRun();
    expect(run.size).toBeLessThan(25);
    expect(bytes(run)).toBeLessThan(1_000_000);
  });
});
