/**
 * `npm run release:check`: builds, packs every publishable package with `npm pack` and checks each
 * tarball: every file its `exports` and `bin` name is inside; nothing from tests or fixtures (no
 * `*.test.*`, no `test/`, `fixtures/` or `src/` folders, no build info); a LICENSE; the metadata a
 * registry needs; one version for all packages, matching the newest CHANGELOG entry; and every
 * package imported by the built JavaScript declared as a dependency or peer.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The fields of a package.json the check reads. */
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  repository?: unknown;
  engines?: { node?: string };
  files?: string[];
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** What one tarball holds: its manifest and the paths inside `package/`. */
export interface PackedPackage {
  manifest: Manifest;
  files: string[];
  /** Reads a packed file as text. */
  read(path: string): string;
}

const FORBIDDEN = [/\.test\.[cm]?[jt]sx?$/, /(^|\/)tests?\//, /(^|\/)fixtures\//, /^src\//, /\.tsbuildinfo$/];
/**
 * Bare specifiers of `import … from`, `import(…)`, `import "…"` and `require(…)`, in plain or
 * minified code (the CLI's bundle, CommonJS chunks included): a specifier is shaped like a package name, so text such as `" from "` in a
 * string is not taken for one.
 */
const IMPORTED =
  /(?:\bfrom\s*|\b(?:import|require)\s*\(\s*|(?:^|[;}\s])import\s*)["']((?:@[\w.~-]+\/)?[\w~:-][\w.~:-]*(?:\/[\w.~/-]*)?)["']/gm;

/** The files a package's `exports` (except the repository-only `@budget/source`) and `bin` name. */
export function namedFiles(m: Manifest): string[] {
  const named = new Set<string>();
  for (const target of Object.values(m.exports ?? {})) {
    if (typeof target === "string") named.add(target);
    else
      for (const [condition, path] of Object.entries(target))
        if (condition !== "@budget/source") named.add(path);
  }
  for (const path of Object.values(m.bin ?? {})) named.add(path);
  return [...named].map((p) => p.replace(/^\.\//, ""));
}

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Problems with one packed package (empty when it may be published). */
export function checkPackage(pkg: PackedPackage, version: string): string[] {
  const { manifest: m, files } = pkg;
  const problems: string[] = [];
  const has = new Set(files);
  for (const f of namedFiles(m))
    if (!has.has(f)) problems.push(`${m.name}: ${f} is named by exports/bin but not packed`);
  for (const f of files)
    if (FORBIDDEN.some((re) => re.test(f))) problems.push(`${m.name}: ${f} is a test, fixture or build file`);
  if (!files.some((f) => /^LICENSE/i.test(f))) problems.push(`${m.name}: no LICENSE in the tarball`);
  if (m.private) problems.push(`${m.name}: private`);
  for (const field of ["license", "repository", "engines", "files"] as const)
    if (m[field] === undefined) problems.push(`${m.name}: no "${field}" in package.json`);
  if (m.version !== version) problems.push(`${m.name}: version ${m.version}, expected ${version}`);
  const declared = new Set([
    m.name,
    ...Object.keys(m.dependencies ?? {}),
    ...Object.keys(m.peerDependencies ?? {}),
  ]);
  for (const [dep, range] of Object.entries(m.dependencies ?? {}))
    if (dep.startsWith("@budget/") && range !== version)
      problems.push(`${m.name}: ${dep}@${range}, expected ${version}`);
  for (const f of files.filter((f) => /\.c?js$/.test(f))) {
    for (const [, spec] of pkg.read(f).matchAll(IMPORTED)) {
      if (!spec || isBuiltin(spec) || declared.has(packageOf(spec))) continue;
      problems.push(`${m.name}: ${f} imports ${spec}, which is not a dependency or peer`);
      declared.add(packageOf(spec));
    }
  }
  return problems;
}

/** Runs `npm pack` in `dir` into `dest` and opens the tarball. */
export function packPackage(dir: string, dest: string): PackedPackage {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dest], {
    cwd: dir,
    encoding: "utf8",
  });
  const [info] = JSON.parse(out) as { filename: string }[];
  if (!info) throw new Error(`npm pack in ${dir} reported nothing`);
  const unpacked = mkdtempSync(join(dest, "unpacked-"));
  execFileSync("tar", ["-xzf", join(dest, info.filename), "-C", unpacked]);
  const root = join(unpacked, "package");
  const list = (d: string, prefix = ""): string[] =>
    readdirSync(join(root, d), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? list(join(d, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
  return {
    manifest: JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Manifest,
    files: list(""),
    read: (path) => readFileSync(join(root, path), "utf8"),
  };
}

/** The version of the newest released entry of CHANGELOG.md (`## 0.1.0 — …`). */
export function changelogVersion(text: string): string | undefined {
  return /^## \[?(\d+\.\d+\.\d+[^\]\s]*)\]?/m.exec(text)?.[1];
}

const repo = fileURLToPath(new URL("..", import.meta.url));

/** The publishable workspace packages (every `packages/*`, none private). */
export function workspacePackages(): string[] {
  return readdirSync(join(repo, "packages")).map((name) => join(repo, "packages", name));
}

async function main(): Promise<number> {
  execFileSync(process.execPath, [join(repo, "scripts/build.mjs")], { stdio: "inherit" });
  const version = changelogVersion(readFileSync(join(repo, "CHANGELOG.md"), "utf8"));
  if (!version) {
    process.stderr.write("release:check: CHANGELOG.md has no `## <version>` entry\n");
    return 1;
  }
  const dest = mkdtempSync(join(tmpdir(), "budget-release-"));
  const problems: string[] = [];
  try {
    for (const dir of workspacePackages()) {
      const pkg = packPackage(dir, dest);
      const found = checkPackage(pkg, version);
      problems.push(...found);
      process.stdout.write(
        `${found.length ? "✗" : "✓"} ${pkg.manifest.name}@${pkg.manifest.version}: ${pkg.files.length} files\n`,
      );
    }
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
  for (const p of problems) process.stderr.write(`  ${p}\n`);
  process.stdout.write(
    problems.length ? `release:check: ${problems.length} problems\n` : "release:check: ok\n",
  );
  return problems.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
