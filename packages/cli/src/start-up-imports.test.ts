import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = dirname(fileURLToPath(import.meta.url));

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
