import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The dependency direction (DESIGN.md §4): `@budget/core` imports no other package of ours, a
 * package imports only the packages its package.json declares, the declared graph has no cycle
 * (so no package imports one above it), the server and the integrations stand side by side on
 * `@budget/calls` (neither imports the other), and no package's source files import each other in a
 * cycle at run time (type-only imports are erased). Tests (`*.test.ts`) are left out: like composition roots, they may start a real server.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACKAGES = join(ROOT, "packages");

/** One package: its name, the `@budget/*` packages its manifest declares, its source files. */
interface PackageInfo {
  readonly name: string;
  readonly dir: string;
  readonly declared: ReadonlySet<string>;
  /** The `@budget/*` packages an installation gets with it (`dependencies`, `peerDependencies`). */
  readonly runtime: ReadonlySet<string>;
}

/** One source file and what it imports: every module specifier, and those kept at run time. */
interface SourceFile {
  readonly path: string;
  readonly specifiers: readonly string[];
  readonly runtimeSpecifiers: readonly string[];
}

/** True when an import or export declaration is erased at compile time (`import type`, all-type names). */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (clause === undefined) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    clause.name === undefined &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

function readSourceFile(path: string): SourceFile {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const runtimeSpecifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      specifiers.push(specifier);
      if (!isTypeOnly(node)) runtimeSpecifiers.push(specifier);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
      runtimeSpecifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) specifiers.push(literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { path, specifiers, runtimeSpecifiers };
}

function readPackages(): PackageInfo[] {
  return readdirSync(PACKAGES).map((entry) => {
    const dir = join(PACKAGES, entry);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<
      string,
      Record<string, string> | string | undefined
    >;
    const ours = (field: string) => {
      const deps = manifest[field];
      return typeof deps === "object" ? Object.keys(deps).filter((dep) => dep.startsWith("@budget/")) : [];
    };
    const runtime = new Set([...ours("dependencies"), ...ours("peerDependencies")]);
    const declared = new Set([...runtime, ...ours("devDependencies")]);
    return { name: String(manifest.name), dir, declared, runtime };
  });
}

function sourceFiles(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        files.push(readSourceFile(path));
      }
    }
  };
  walk(join(dir, "src"));
  return files;
}

/** `@budget/core/display` → `@budget/core`; anything else → undefined. */
function budgetPackageOf(specifier: string): string | undefined {
  const match = /^(@budget\/[a-z-]+)/.exec(specifier);
  return match?.[1];
}

/** The cycles of a directed graph (each as the path that closes it), by depth-first search. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/** The file a relative import names (`./x.js` → `./x.ts`, `./x` → `./x/index.ts`), if it is ours. */
function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.js$/, ".tsx"),
    `${base}.ts`,
    `${base}.tsx`,
    join(base, "index.ts"),
  ];
  return candidates.find((candidate) => known.has(candidate));
}

const packages = readPackages();
const files = new Map(packages.map((pkg) => [pkg.name, sourceFiles(pkg.dir)]));

describe("dependency direction", () => {
  it("finds cycles, and only cycles (the checker itself)", () => {
    const acyclic = new Map([
      ["a", ["b", "c"]],
      ["b", ["c"]],
      ["c", []],
    ]);
    expect(findCycles(acyclic)).toEqual([]);
    const cyclic = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    expect(findCycles(cyclic)).toEqual([["a", "b", "c", "a"]]);
  });

  it("core imports no other package of ours", () => {
    const core = files.get("@budget/core") ?? [];
    expect(core.length).toBeGreaterThan(0);
    const outward = core.flatMap((file) =>
      file.specifiers
        .filter((s) => budgetPackageOf(s) !== undefined && budgetPackageOf(s) !== "@budget/core")
        .map((s) => `${relative(ROOT, file.path)} → ${s}`),
    );
    expect(outward).toEqual([]);
  });

  it("every package imports only the packages its manifest declares", () => {
    const undeclared: string[] = [];
    for (const pkg of packages) {
      for (const file of files.get(pkg.name) ?? []) {
        for (const specifier of file.specifiers) {
          const target = budgetPackageOf(specifier);
          if (target !== undefined && target !== pkg.name && !pkg.declared.has(target)) {
            undeclared.push(`${relative(ROOT, file.path)} → ${specifier}`);
          }
        }
      }
    }
    expect(undeclared).toEqual([]);
  });

  it("the declared package graph has no cycle, so no package imports one above it", () => {
    const graph = new Map(packages.map((pkg) => [pkg.name, [...pkg.declared]]));
    expect(findCycles(graph)).toEqual([]);
  });

  it("the server and the integrations import nothing of each other: what both need is @budget/calls", () => {
    const crossing = (from: string, to: string): string[] => {
      const pkg = packages.find((p) => p.name === from);
      const listed = pkg?.runtime.has(to) ? [`${from}'s package.json → ${to}`] : [];
      const imported = (files.get(from) ?? []).flatMap((file) =>
        file.specifiers
          .filter((s) => budgetPackageOf(s) === to)
          .map((s) => `${relative(ROOT, file.path)} → ${s}`),
      );
      return [...listed, ...imported];
    };
    expect(files.get("@budget/server")?.length).toBeGreaterThan(0);
    expect([
      ...crossing("@budget/server", "@budget/integrations"),
      ...crossing("@budget/integrations", "@budget/server"),
    ]).toEqual([]);
  });

  it("no package's source files import each other in a cycle at run time", () => {
    const cycles: string[] = [];
    for (const pkg of packages) {
      const own = files.get(pkg.name) ?? [];
      const known = new Set(own.map((file) => file.path));
      const graph = new Map(
        own.map((file) => [
          file.path,
          file.runtimeSpecifiers
            .filter((s) => s.startsWith("."))
            .map((s) => resolveRelative(file.path, s, known))
            .filter((target): target is string => target !== undefined),
        ]),
      );
      for (const cycle of findCycles(graph)) cycles.push(cycle.map((p) => relative(ROOT, p)).join(" → "));
    }
    expect(cycles).toEqual([]);
  });
});
