import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The public API is a conscious list: every entry point each package's `exports` names (values and
 * types alike) is compared with `public-api.json`, so adding, removing or renaming an export fails
 * here until the list is updated — `BUDGET_UPDATE_PUBLIC_API=1 npx vitest run
 * test/architecture/public-api.test.ts` rewrites it (format it with biome); review the diff. Entry points re-export by
 * name only (no `export *`), and no subpath pattern (`./*`) makes internal files reachable.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SNAPSHOT = fileURLToPath(new URL("./public-api.json", import.meta.url));

/** One entry point: its import specifier (`@budget/core/testing`) and its TypeScript source. */
interface EntryPoint {
  readonly specifier: string;
  readonly source: string;
  readonly subpath: string;
}

function entryPoints(): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const dir of readdirSync(join(ROOT, "packages")).sort()) {
    const manifest = JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")) as {
      name: string;
      exports: Record<string, string | Record<string, string>>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === "string") continue; // ./package.json
      const source = target["@budget/source"];
      if (source === undefined)
        throw new Error(`${manifest.name} ${subpath} has no @budget/source condition`);
      const specifier = subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`;
      entries.push({ specifier, subpath, source: join(ROOT, "packages", dir, source) });
    }
  }
  return entries;
}

/** The sorted exported names of every entry point, types included, by specifier. */
function exportedNames(entries: readonly EntryPoint[]): Record<string, string[]> {
  const program = ts.createProgram(
    entries.map((e) => e.source),
    {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      customConditions: ["@budget/source"],
      jsx: ts.JsxEmit.ReactJSX,
      jsxImportSource: "preact",
      skipLibCheck: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const names: Record<string, string[]> = {};
  for (const entry of entries) {
    const file = program.getSourceFile(entry.source);
    const module = file && checker.getSymbolAtLocation(file);
    if (module === undefined) throw new Error(`${entry.specifier}: ${entry.source} is not a module`);
    names[entry.specifier] = checker
      .getExportsOfModule(module)
      .map((s) => s.name)
      .sort();
  }
  return names;
}

describe("the public API", () => {
  const entries = entryPoints();

  it("names no subpath pattern, so only the listed entry points are reachable", () => {
    expect(entries.filter((e) => e.subpath.includes("*")).map((e) => e.specifier)).toEqual([]);
  });

  it("re-exports by name only: no `export *` in an entry point", () => {
    const star = entries.filter((e) => {
      const file = ts.createSourceFile(e.source, readFileSync(e.source, "utf8"), ts.ScriptTarget.Latest);
      return file.statements.some((s) => ts.isExportDeclaration(s) && s.exportClause === undefined);
    });
    expect(star.map((e) => e.specifier)).toEqual([]);
  });

  it("exports exactly the names listed in public-api.json", { timeout: 180_000 }, () => {
    const actual = exportedNames(entries);
    if (process.env.BUDGET_UPDATE_PUBLIC_API === "1")
      writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
    const listed = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as Record<string, string[]>;
    expect(actual).toEqual(listed);
  });
});
