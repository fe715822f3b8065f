import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** tsx's loader by absolute URL: the commands run in temporary folders, outside this repository. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * Node's arguments that run the `budget` command from the TypeScript sources (tsx, and the
 * `@budget/source` export condition so `@budget/*` resolve to `src/`): tests need no build. The installed
 * launcher, `bin/budget.cjs` on `dist/bundle/`, is exercised by the installed-project test.
 */
export const BUDGET_NODE_ARGS: readonly string[] = [
  "--conditions=@budget/source",
  "--import",
  TSX,
  fileURLToPath(new URL("../main.ts", import.meta.url)),
];

/** What one run of the binary produced. */
export interface BudgetRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not). */
  json<T = unknown>(): T;
}

/** Spawns `budget …args` (see {@link BUDGET_NODE_ARGS}) with a clean color environment; stdin is closed (not a TTY). */
export function runBudget(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<BudgetRun> {
  return new Promise((resolve, reject) => {
    const env = {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: undefined,
      BUDGET_DB: undefined,
      BUDGET_DATABASE_URL: undefined,
      BUDGET_CONFIG: undefined,
      BUDGET_URL: undefined,
      BUDGET_API_KEY: undefined,
      ...options.env,
    };
    const child = spawn(process.execPath, [...BUDGET_NODE_ARGS, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }));
  });
}
