/**
 * `@budget/cli`: the `budget` command. Run it with `npx budget --help`; the program and the
 * backends are exported for embedding and tests.
 */
export type { Backend } from "./backend/backend.js";
export { createProgram } from "./program.js";
