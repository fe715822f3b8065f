import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The real launcher, as `npx budget` runs it. */
export const BUDGET_BIN = fileURLToPath(new URL("../../bin/budget.js", import.meta.url));

/** What one run of the binary produced. */
export interface BudgetRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not). */
  json<T = unknown>(): T;
}

/** Spawns `node bin/budget.js …args` with a clean color environment; stdin is closed (not a TTY). */
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
    const child = spawn(process.execPath, [BUDGET_BIN, ...args], {
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
