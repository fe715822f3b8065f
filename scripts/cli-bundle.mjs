// The `budget` command as one bundle: `packages/cli/dist/bundle/budget.js` and the chunks its
// dynamic imports load (`chunks/`), built with esbuild from the compiled `dist/` of the packages.
// A command then reads a handful of files instead of resolving, reading and linking ~250 modules
// (most of a `budget status` on a local file went there). Database drivers stay external (native
// code, optional peers), and so does `@budget/dashboard` (it finds its build next to its own file).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "packages/cli");

/** Where the bundle lands (inside the package's `files`), and its entry as `bin/budget.js` imports it. */
export const CLI_BUNDLE_DIR = join(cli, "dist/bundle");
export const CLI_BUNDLE_ENTRY = join(CLI_BUNDLE_DIR, "budget.js");

/** Packages the bundle leaves to Node: drivers (optional peers) and the dashboard's files. */
export const CLI_BUNDLE_EXTERNAL = ["better-sqlite3", "pg", "pg-native", "@budget/dashboard"];

const KYSELY_RUNTIME = /[\\/]packages[\\/]store[\\/](?:src|dist)[\\/]shared[\\/]kysely-runtime\.[jt]s$/;
const ZOD_LOCALES = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;
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
    banner: {
      js: 'import { createRequire as __budgetCreateRequire } from "node:module";\nconst require = __budgetCreateRequire(import.meta.url);',
    },
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
  const inputs = [...JSON.parse(readFileSync(META, "utf8")), "scripts/cli-bundle.mjs"];
  return inputs.every((file) => {
    const st = statSync(join(root, file), { throwIfNoEntry: false });
    return st !== undefined && st.mtimeMs <= built;
  });
}

/** Builds the bundle from `packages/cli/dist/main.js` (after `tsc -b`), unless it is up to date. */
export async function bundleCli() {
  if (upToDate()) return;
  const { build } = await import("esbuild");
  rmSync(CLI_BUNDLE_DIR, { recursive: true, force: true });
  const result = await build(cliBundleOptions({ entry: join(cli, "dist/main.js"), outdir: CLI_BUNDLE_DIR }));
  mkdirSync(dirname(META), { recursive: true });
  writeFileSync(META, JSON.stringify(Object.keys(result.metafile.inputs)));
}
