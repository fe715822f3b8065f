import { readFileSync } from "node:fs";
import { BudgetError } from "@budget/core";
import { parse as parseYaml } from "yaml";
import { type ServerConfig, type ServerConfigInput, serverConfigSchema } from "./config-schema.js";

/** Environment variables that override the file: name → config path. */
export const ENV_OVERRIDES = {
  BUDGET_HOST: "server.host",
  BUDGET_PORT: "server.port",
  BUDGET_DB: "database.file",
  BUDGET_DATABASE_URL: "database.url",
  BUDGET_ADMIN_KEY: "auth.adminKey",
  BUDGET_LOG_LEVEL: "logging.level",
} as const;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== "object" || node[p] === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

/**
 * Validates a configuration object with environment overrides applied. An error names the field
 * and the problem: `config: server.port: Too big: expected number to be <=65535`.
 */
export function parseConfig(
  input: unknown,
  env: Record<string, string | undefined> = process.env,
): ServerConfig {
  const raw = structuredClone((input ?? {}) as Record<string, unknown>);
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v === undefined || v === "") continue;
    setPath(raw, path, path === "server.port" && /^\d+$/.test(v) ? Number(v) : v);
  }
  // The environment wins over the file: BUDGET_DB alone replaces the file's PostgreSQL URL too.
  const db = raw.database as Record<string, unknown> | undefined;
  if (env.BUDGET_DB && !env.BUDGET_DATABASE_URL && db) delete db.url;
  const result = serverConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0];
  throw new BudgetError("invalid_input", `config: ${first?.path || "(root)"}: ${first?.message}`, { issues });
}

/** Reads a JSON or YAML configuration file (by extension; YAML is a superset of JSON) and validates it. */
export function loadConfig(
  file?: string | undefined,
  env: Record<string, string | undefined> = process.env,
): ServerConfig {
  if (!file) return parseConfig({}, env);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new BudgetError("invalid_input", `config: cannot read ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new BudgetError(
      "invalid_input",
      `config: ${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message}`,
    );
  }
  return parseConfig(data as ServerConfigInput, env);
}
