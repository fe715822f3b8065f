// The `budget` command as one bundle: `packages/cli/dist/bundle/budget.cjs` and the chunks its
// dynamic imports load (`chunks/`), built with esbuild from the compiled `dist/` of the packages.
// A command then reads a handful of files instead of resolving, reading and linking ~250 modules
// (most of a `budget status` on a local file went there). Database drivers stay external (native
// code, optional peers), and so does `@budget/dashboard` (it finds its build next to its own file).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "packages/cli");

/** Where the bundle lands (inside the package's `files`), and its entry as `bin/budget.cjs` requires it. */
export const CLI_BUNDLE_DIR = join(cli, "dist/bundle");
export const CLI_BUNDLE_ENTRY = join(CLI_BUNDLE_DIR, "budget.cjs");

/** Packages the bundle leaves to Node: drivers (optional peers) and the dashboard's files. */
export const CLI_BUNDLE_EXTERNAL = ["better-sqlite3", "pg", "pg-native", "@budget/dashboard"];

const KYSELY_RUNTIME = /[\\/]packages[\\/]store[\\/](?:src|dist)[\\/]shared[\\/]kysely-runtime\.[jt]s$/;
const ZOD_LOCALES = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;
const COMMANDER_COMMAND = /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/;
const CLI_FILE = /[\\/]packages[\\/]cli[\\/](?:src|dist)[\\/].*\.[jt]s$/;
const OWN_REQUIRE =
  /[\\/]packages[\\/](core|calls|prices|store|client|integrations|server)[\\/](?:src|dist)[\\/].*\.[jt]s$/;

/**
 * Rewrites that keep the bundled packages behaving as they do unbundled, minus the files:
 * - the CLI loads its CommonJS packages (commander, cli-table3, cli-progress) with `requireCjs`
 *   where it uses them (cheaper than `import` under tsx); bundled, the same calls become `require`,
 *   which esbuild resolves at build time, so each is still evaluated on first use only;
 * - the store loads Kysely's CommonJS build with `require` (cheaper than its ~260 ESM modules when
 *   each is a file); bundled, its ESM build is one more part of a chunk, so it is imported;
 * - `createRequire(import.meta.url)` inside a bundled package (YAML configs, the SQLite
 *   checkpointer's driver path) resolves from that package's installed folder, as it would
 *   unbundled, rather than from the CLI's;
 * - commander requires `node:child_process` (and with it `net` and `dgram`, ~20 % of `node -e 0`)
 *   for executable subcommands, which Budget has none of: it is required when one would spawn;
 * - zod's ~50 message locales (~370 kB, a fifth of what `budget status` parses) are left out:
 *   Budget's messages are zod's default English (`z.locales.en`, still there), set by zod itself.
 */
const packageRequire = {
  name: "budget-package-require",
  setup(build) {
    build.onLoad({ filter: KYSELY_RUNTIME }, (args) => ({
      contents:
        'export { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
    build.onLoad({ filter: ZOD_LOCALES }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
      resolveDir: dirname(args.path),
    }));
    build.onLoad({ filter: COMMANDER_COMMAND }, (args) => {
      const text = readFileSync(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager))
        throw new Error(`${args.path}: commander no longer requires child_process so`);
      return {
        contents: text
          .replace(eager, "")
          .replaceAll("childProcess.spawn(", "require('node:child_process').spawn("),
        loader: "js",
        resolveDir: dirname(args.path),
      };
    });
    build.onLoad({ filter: CLI_FILE }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!/\brequireCjs\(/.test(text)) return undefined;
      return {
        contents: text.replace(/\brequireCjs\(/g, "require("),
        loader: args.path.endsWith(".ts") ? "ts" : "js",
        resolveDir: dirname(args.path),
      };
    });
    build.onLoad({ filter: OWN_REQUIRE }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("createRequire(import.meta.url)")) return undefined;
      const pkg = OWN_REQUIRE.exec(args.path)?.[1];
      return {
        contents: text.replaceAll(
          "createRequire(import.meta.url)",
          `createRequire(import.meta.resolve("@budget/${pkg}/package.json"))`,
        ),
        loader: args.path.endsWith(".ts") ? "ts" : "js",
        resolveDir: dirname(args.path),
      };
    });
  },
};

const ESM_BANNER =
  'import { createRequire as __budgetCreateRequire } from "node:module";\nconst require = __budgetCreateRequire(import.meta.url);';

/**
 * esbuild's options for the bundle of `entry` (the CLI's `main`): ESM with code splitting, so what
 * `main` imports dynamically (the backends, the server, the prices) stays out of start-up.
 * `conditions: ["@budget/source"]` bundles the TypeScript sources instead of `dist/` (tests).
 */
export function cliBundleOptions({ entry, outdir, conditions = [], write = true }) {
  return {
    entryPoints: { budget: entry },
    outdir,
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    conditions,
    external: CLI_BUNDLE_EXTERNAL,
    chunkNames: "chunks/[name]-[hash]",
    // Bundled CommonJS (pino, prom-client, …) calls `require` for Node's modules.
    banner: { js: ESM_BANNER },
    // Without comments and blanks there is a third less to parse at each start; names stay, so a
    // stack trace (BUDGET_DEBUG=1) still reads, and the source map leads to the TypeScript.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "linked",
    metafile: true,
    write,
    logLevel: "warning",
    plugins: [packageRequire],
  };
}

const META = join(root, "node_modules/.cache/budget-cli-bundle.json");

/** True when the bundle exists and no file it was built from changed since. */
function upToDate() {
  if (!existsSync(CLI_BUNDLE_ENTRY) || !existsSync(META)) return false;
  const built = statSync(CLI_BUNDLE_ENTRY).mtimeMs;
  const inputs = [
    ...JSON.parse(readFileSync(META, "utf8")),
    "scripts/cli-bundle.mjs",
    "packages/cli/bin/budget.cjs",
  ];
  return inputs.every((file) => {
    const st = statSync(join(root, file), { throwIfNoEntry: false });
    return st !== undefined && st.mtimeMs <= built;
  });
}

// In a CommonJS chunk: what `import.meta` gave the ES module, and `import()` of what stays an ES
// module (a chunk with a top-level await, `@budget/dashboard`), through `bin/budget.cjs`'s own
// `import` (a chunk's relative specifier resolved from the chunk's folder first).
const CJS_BANNER =
  'const __budget_meta_url=require("node:url").pathToFileURL(__filename).href,__budget_meta_resolve=(s)=>require("node:url").pathToFileURL(require.resolve(s)).href,__budget_import=(s)=>globalThis[Symbol.for("budget.import")](s.startsWith(".")?new URL(s,__budget_meta_url).href:s);';

/**
 * Rewrites the ES module chunks esbuild wrote into CommonJS (`.cjs`), each with the V8 code cache
 * `bin/budget.cjs` loads it with (ADR 0008): Node 20 keeps no compiled code for ES modules, and
 * parsing the ~0.9 MB a local `status` runs was its largest cost. What cannot be CommonJS stays an
 * ES module: a chunk with a top-level await (the bundled prices), and what imports one statically.
 * Dynamic imports of CommonJS chunks become `require`; ES chunks import CommonJS ones by name
 * (Node's loader), so each chunk still runs once and there is one copy of every class.
 */
async function toCommonJs(outputs) {
  const { transform } = await import("esbuild");
  const js = Object.keys(outputs).filter((f) => f.endsWith(".js"));
  const base = (f) => f.slice(f.lastIndexOf("/") + 1);
  const esm = new Set();
  const converted = new Map();
  for (let changed = true; changed; ) {
    changed = false;
    for (const file of js) {
      if (esm.has(file)) continue;
      const staticImports = outputs[file].imports.filter((i) => i.kind === "import-statement");
      if (staticImports.some((i) => esm.has(i.path) || i.path === "@budget/dashboard")) {
        esm.add(file);
        changed = true;
      }
    }
    for (const file of js) {
      if (esm.has(file) || converted.has(file)) continue;
      const text = readFileSync(join(root, file), "utf8").replace(ESM_BANNER, "");
      try {
        converted.set(file, await transformChunk(transform, text, file));
      } catch (err) {
        if (!String(err).includes("Top-level await")) throw err;
        esm.add(file);
        changed = true;
      }
    }
  }
  // Written once the ES module chunks are known (a chunk's `import()`s depend on them).
  const cjsNames = new Map(
    [...js].filter((f) => !esm.has(f)).map((f) => [base(f), base(f).replace(/\.js$/, ".cjs")]),
  );
  const rename = (text) =>
    text.replace(/(["/])([\w.-]+\.js)"/g, (m, q, name) =>
      cjsNames.has(name) ? `${q}${cjsNames.get(name)}"` : m,
    );
  for (const file of js) {
    const path = join(root, file);
    if (esm.has(file)) {
      writeFileSync(path, rename(readFileSync(path, "utf8")));
      continue;
    }
    const text = readFileSync(path, "utf8").replace(ESM_BANNER, "");
    writeFileSync(path.replace(/\.js$/, ".cjs"), rename(await transformChunk(transform, text, file, esm)));
    rmSync(path);
    rmSync(`${path}.map`, { force: true });
  }
}

/** One chunk as CommonJS: `import()` of a CommonJS chunk becomes `require`, of anything else stays. */
async function transformChunk(transform, text, file, esm = new Set()) {
  const dir = dirname(file);
  const marked = text.replace(/\bimport\("([^"]+)"\)/g, (m, spec) =>
    spec.startsWith(".") && !esm.has(join(dir, spec)) ? m : `__budget_import("${spec}")`,
  );
  const { code } = await transform(marked, {
    format: "cjs",
    platform: "node",
    target: "node20.19",
    minifyWhitespace: true,
    supported: { "dynamic-import": false },
    define: { "import.meta.url": "__budget_meta_url", "import.meta.resolve": "__budget_meta_resolve" },
    banner: CJS_BANNER,
    sourcefile: file,
  });
  return code;
}

/**
 * Writes the code caches: runs a local `budget status` (and `--help`) from the new bundle with
 * `BUDGET_CODE_CACHE=write`, so each cache holds what those compiled, not just the top level.
 */
function writeCodeCaches() {
  const dir = mkdtempSync(join(tmpdir(), "budget-code-cache-"));
  try {
    const bin = join(cli, "bin/budget.cjs");
    const env = { ...process.env, NODE_OPTIONS: "", BUDGET_CODE_CACHE: "write" };
    const db = join(dir, "budget.db");
    const run = (args) => {
      const r = spawnSync(process.execPath, [bin, ...args], {
        cwd: dir,
        env,
        stdio: ["ignore", "ignore", "inherit"],
      });
      if (r.status !== 0)
        throw new Error(`budget ${args.join(" ")} exited ${r.status} while writing the code cache`);
    };
    run(["--db", db, "set", "team", "--limit", "daily", "--window", "day", "--tokens", "1000"]);
    run(["--db", db, "status"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds the bundle from `packages/cli/dist/main.js` (after `tsc -b`), unless it is up to date. */
export async function bundleCli() {
  if (upToDate()) return;
  const { build } = await import("esbuild");
  rmSync(CLI_BUNDLE_DIR, { recursive: true, force: true });
  const result = await build(cliBundleOptions({ entry: join(cli, "dist/main.js"), outdir: CLI_BUNDLE_DIR }));
  await toCommonJs(result.metafile.outputs);
  writeCodeCaches();
  mkdirSync(dirname(META), { recursive: true });
  writeFileSync(META, JSON.stringify(Object.keys(result.metafile.inputs)));
}
