import { defineConfig } from "vite";

/**
 * The dashboard builds to `dist/app/` (`dist/index.js` is the Node entry, built by tsc), which `@budget/server` serves at `/`. JSX is compiled by
 * Vite's own transformer for Preact, so no framework plugin is needed. `BUDGET_API` points the
 * dev server's proxy at a running service (`npm run dev -w @budget/dashboard`).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  // `@budget/core/display` (the one display rule, dependency-free) bundles from its source.
  resolve: { conditions: ["@budget/source", "module", "browser", "development|production"] },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist/app", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 200 },
  server: {
    proxy: {
      "/v1": { target: process.env.BUDGET_API ?? "http://127.0.0.1:4100", changeOrigin: true },
    },
  },
});
