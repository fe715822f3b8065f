#!/usr/bin/env node
// The `budget` command runs its compiled JavaScript bundle (`npm run build` in the repository
// writes dist/bundle/ from dist/; see scripts/cli-bundle.mjs and ADR 0008). CommonJS, like the
// bundle: an ES module here would load Node's ES module loader for nothing.
const { readFileSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { dirname, join } = require("node:path");
const { setFlagsFromString } = require("node:v8");
const { Script } = require("node:vm");

// Start-up allocates ~13 MB that mostly lives to the end (code, schemas): a young generation that
// grows 8× at a time instead of 2× scavenges it three times instead of six (~7 % of a local
// `budget status`). A heap-sizing heuristic, read by V8 each time the young generation grows.
setFlagsFromString("--semi-space-growth-factor=8");

// The bundle's CommonJS chunks compile from V8's code cache (`<chunk>.cache`, written by the build
// from a local `status`): no parsing, and the functions that run are already compiled. A cache
// from another Node version (or other V8 flags) is rejected by V8 and the chunk compiles from its
// source as usual. `BUDGET_CODE_CACHE=write` (the build) writes the caches as the process exits.
const bundle = join(__dirname, "../dist/bundle/");
const writeCaches = process.env.BUDGET_CODE_CACHE === "write";
const compiled = [];
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename, ...rest) {
  if (!filename.startsWith(bundle)) return compile.call(this, content, filename, ...rest);
  let cachedData;
  try {
    if (!writeCaches) cachedData = readFileSync(`${filename}.cache`);
  } catch {}
  const script = new Script(Module.wrap(content), { filename, cachedData });
  if (writeCaches) compiled.push([filename, script]);
  const run = script.runInThisContext({ displayErrors: true });
  const require = Module.createRequire(filename);
  return run.call(this.exports, this.exports, require, this, filename, dirname(filename));
};
if (writeCaches)
  process.on("exit", () => {
    for (const [filename, script] of compiled) writeFileSync(`${filename}.cache`, script.createCachedData());
  });

// What a CommonJS chunk imports that stays an ES module (`__budget_import` in the chunks).
globalThis[Symbol.for("budget.import")] = (specifier) => import(specifier);
require(join(bundle, "budget.cjs"));
