#!/usr/bin/env node
// `npm run build`: every package to dist/ with `tsc -b` (incremental: a second run with nothing
// changed takes a few seconds), then the dashboard's Vite build when its sources are newer than it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

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

const tsc = join(root, "node_modules/typescript/bin/tsc");
run(process.execPath, [tsc, "-b", "tsconfig.build.json"]);

const built = join(dashboard, "dist/app/index.html");
const sources = ["src", "index.html", "vite.config.ts", "package.json"].map((p) => join(dashboard, p));
if (!existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map(newest))) {
  const vite = join(root, "node_modules/vite/bin/vite.js");
  run(process.execPath, [vite, "build", "--logLevel", "warn"], dashboard);
}
