import { defineConfig } from "vitest/config";

/**
 * Tests run on the TypeScript sources: the `@budget/source` export condition of every package maps
 * `@budget/*` to `src/` (no build needed); the built `dist/` is what the package tarballs carry.
 */
// Vite's default server conditions, with `@budget/source` first.
const conditions = ["@budget/source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
