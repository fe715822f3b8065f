import { fileURLToPath } from "node:url";

/**
 * `@budget/dashboard` is a browser app (built with `npm run build -w @budget/dashboard`); from
 * Node it offers where its build lands, for servers and tests.
 */

/**
 * The folder the build writes: `index.html` and hashed `assets/` (`dist/app/` of this package,
 * found the same way from `src/index.ts` in the repository and from the installed `dist/index.js`).
 */
export const dashboardDistDir: string = fileURLToPath(new URL("../dist/app/", import.meta.url));
