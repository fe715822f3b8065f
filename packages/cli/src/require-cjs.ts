import { createRequire } from "node:module";

/**
 * Node's own `require`, for the CommonJS packages the CLI draws with (cli-table3, cli-progress).
 * Under the tsx ESM loader, `import` of a CommonJS package sends every `require` inside it through
 * the loader thread; `require` loads it in this thread, several times cheaper. Called where the
 * package is used, so commands that never draw a table or a progress bar never load it.
 */
export const requireCjs: NodeJS.Require = createRequire(import.meta.url);
