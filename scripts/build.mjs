#!/usr/bin/env node
// `npm run build`: every package to dist/ with `tsc -b` (incremental: a second run with nothing
// changed takes a few seconds), the `budget` command's bundle (scripts/cli-bundle.mjs) when what it
// is built from changed, then the dashboard's Vite build when its sources are newer than it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleCli } from "./cli-bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dashboard = join(root, "packages/dashboard");

/** Newest modification time (ms) of a file or of any file under a folder. */
function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((t, name) => Math.max(t, newest(join(path, name))), st.mtimeMs);
}

function run(command, args, cwd = root) {
  const r = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * One build at a time in a checkout (tests that build run in parallel): a lock folder, taken over
 * when older than ten minutes (a build killed half-way).
 */
function lock() {
  const dir = join(root, "node_modules/.cache/budget-build.lock");
  mkdirSync(join(root, "node_modules/.cache"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(dir);
      process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
      return;
    } catch {
      if (Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 600_000)
        rmSync(dir, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

lock();
const tsc = join(root, "node_modules/typescript/bin/tsc");
run(process.execPath, [tsc, "-b", "tsconfig.build.json"]);
await bundleCli();

const built = join(dashboard, "dist/app/index.html");
const sources = ["src", "index.html", "vite.config.ts", "package.json"].map((p) => join(dashboard, p));
if (!existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newest))) {
  const vite = join(root, "node_modules/vite/bin/vite.js");
  run(process.execPath, [vite, "build", "--logLevel", "warn"], dashboard);
}
