import { fileURLToPath } from "node:url";

/**
 * `@budget/dashboard` is a browser app (built with `npm run build -w @budget/dashboard`); from
 * Node it offers where its build lands, for servers and tests.
 */

/** The folder the build writes: `index.html` and hashed `assets/`. */
export const dashboardDistDir: string = fileURLToPath(new URL("../dist/", import.meta.url));
