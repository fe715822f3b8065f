import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { changelogVersion, checkPackage, type PackedPackage } from "../../scripts/release-check.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A packed package as the check sees it, from a manifest and file contents. */
function packed(manifest: Record<string, unknown>, files: Record<string, string>): PackedPackage {
  return {
    manifest: {
      name: "@budget/x",
      version: "1.2.3",
      license: "MIT",
      repository: "github:x/y",
      engines: { node: ">=20.19" },
      files: ["dist"],
      ...manifest,
    } as PackedPackage["manifest"],
    files: Object.keys(files),
    read: (path) => files[path] ?? "",
  };
}

const EXPORTS = {
  ".": { "@budget/source": "./src/index.ts", types: "./dist/index.d.ts", import: "./dist/index.js" },
};

describe("release check", () => {
  it("accepts a package whose tarball holds what its exports name, and nothing else", () => {
    const pkg = packed(
      { exports: EXPORTS, dependencies: { zod: "^4" } },
      {
        LICENSE: "MIT",
        "package.json": "{}",
        "dist/index.js": 'import { z } from "zod";\nimport "node:fs";',
        "dist/index.d.ts": "",
      },
    );
    expect(checkPackage(pkg, "1.2.3")).toEqual([]);
  });

  it("names a missing export, a test or fixture, a missing LICENSE, an undeclared import and a wrong version", () => {
    const pkg = packed(
      {
        exports: EXPORTS,
        bin: { x: "./bin/x.js" },
        version: "1.2.2",
        dependencies: { "@budget/core": "1.2.2" },
      },
      {
        "dist/index.js": 'const k = await import("kysely");\nexport * from "@budget/core";',
        "dist/a.test.js": "",
        "dist/fixtures/feed.json": "{}",
        "tsconfig.build.tsbuildinfo": "",
      },
    );
    const problems = checkPackage(pkg, "1.2.3").join("\n");
    expect(problems).toContain("dist/index.d.ts is named by exports/bin but not packed");
    expect(problems).toContain("bin/x.js is named by exports/bin but not packed");
    expect(problems).not.toContain("src/index.ts");
    expect(problems).toContain("dist/a.test.js is a test, fixture or build file");
    expect(problems).toContain("dist/fixtures/feed.json is a test, fixture or build file");
    expect(problems).toContain("tsconfig.build.tsbuildinfo is a test, fixture or build file");
    expect(problems).toContain("no LICENSE");
    expect(problems).toContain("imports kysely, which is not a dependency or peer");
    expect(problems).not.toContain("imports @budget/core");
    expect(problems).toContain("version 1.2.2, expected 1.2.3");
    expect(problems).toContain("@budget/core@1.2.2, expected 1.2.3");
  });

  it("reads the version of the newest changelog entry", () => {
    expect(changelogVersion("# Changelog\n\n## 0.2.0 — 2027-01-02\n\n## 0.1.0 — unreleased\n")).toBe("0.2.0");
    expect(changelogVersion("# Changelog\n")).toBeUndefined();
  });

  it("passes on every package of the repository (npm run release:check)", { timeout: 600_000 }, async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "release:check"], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toContain("release:check: ok");
    for (const name of [
      "core",
      "calls",
      "prices",
      "store",
      "client",
      "integrations",
      "server",
      "cli",
      "dashboard",
    ])
      expect(stdout).toContain(`✓ @budget/${name}@`);
  });
});
