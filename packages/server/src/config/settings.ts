import { BudgetError } from "@budget/core";
import type { ServerConfig } from "./config-schema.js";
import { loadConfig } from "./load-config.js";
import { type BackendTarget, type StoreTarget, storeTargetOf } from "./store-target.js";

type Env = Record<string, string | undefined>;

/** Command-line flags over the environment; each wins over everything below it. */
export interface SettingsFlags {
  /** The config file (else `BUDGET_CONFIG`). */
  config?: string | undefined;
  /** A SQLite file: wins over `BUDGET_DATABASE_URL`, `BUDGET_DB` and the file's `database`. */
  db?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

/** The settings of a process that opens the store itself (the server, the CLI on a database). */
export interface Settings {
  config: ServerConfig;
  /** The config file read, if any. */
  configFile: string | undefined;
  store: StoreTarget;
  /** Which setting chose the store: `--db`, `BUDGET_DATABASE_URL`, `BUDGET_DB`, `<file> database.url`, `default`. */
  storeFrom: string;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

function storeFrom(
  flags: SettingsFlags,
  env: Env,
  configFile: string | undefined,
  store: StoreTarget,
): string {
  if (nonEmpty(flags.db)) return "--db";
  if (nonEmpty(env.BUDGET_DATABASE_URL)) return "BUDGET_DATABASE_URL";
  if (nonEmpty(env.BUDGET_DB)) return "BUDGET_DB";
  if (configFile && store.kind === "postgres") return `${configFile} database.url`;
  return configFile ? `${configFile} database.file` : "default";
}

/**
 * The one resolution of Budget's settings, shared by `npm start`, `budget serve`, every CLI
 * command on a database and `npm run demo`. Precedence, most specific first: flags (`--db`,
 * `--host`, `--port`), then the environment (`BUDGET_DATABASE_URL` over `BUDGET_DB`, …), then the
 * config file (`--config` or `BUDGET_CONFIG`; `database.url` over `database.file`), then defaults
 * (`./data/budget.db`, 127.0.0.1:4100).
 */
export function loadSettings(flags: SettingsFlags = {}, env: Env = process.env): Settings {
  const layered: Env = { ...env };
  if (nonEmpty(flags.db)) {
    layered.BUDGET_DB = flags.db;
    layered.BUDGET_DATABASE_URL = undefined;
  }
  if (nonEmpty(flags.host)) layered.BUDGET_HOST = flags.host;
  if (flags.port !== undefined) layered.BUDGET_PORT = String(flags.port);
  const configFile = nonEmpty(flags.config) ?? nonEmpty(env.BUDGET_CONFIG);
  const config = loadConfig(configFile, layered);
  const store = storeTargetOf(config);
  return { config, configFile, store, storeFrom: storeFrom(flags, env, configFile, store) };
}

/** Flags of a client (the CLI): a remote service or a database, and the key for the service. */
export interface ClientFlags extends SettingsFlags {
  /** A Budget service (else `BUDGET_URL`). */
  url?: string | undefined;
  apiKey?: string | undefined;
}

/** Where a client points, and why. */
export interface ClientSettings {
  target: BackendTarget;
  /** The flag, variable or file that chose the target. */
  from: string;
  /** The API key for a remote target (`--api-key`, else `BUDGET_API_KEY`). */
  apiKey: string | undefined;
  /** The settings a local target opens the store with (config file included); null for a remote one. */
  local: Settings | null;
}

/**
 * Where a client talks to: `--url` or `--db` (not both), then `BUDGET_URL` (a running service),
 * then the store {@link loadSettings} resolves — so the CLI opens the same database the server
 * would, PostgreSQL included.
 */
export function resolveClientSettings(flags: ClientFlags = {}, env: Env = process.env): ClientSettings {
  const db = nonEmpty(flags.db);
  if (nonEmpty(flags.url) && db)
    throw new BudgetError(
      "invalid_input",
      "give either --url (a remote service) or --db (a local file), not both",
    );
  const apiKey = nonEmpty(flags.apiKey) ?? nonEmpty(env.BUDGET_API_KEY);
  const url = nonEmpty(flags.url) ?? (db ? undefined : nonEmpty(env.BUDGET_URL));
  if (url !== undefined) {
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url))
      throw new BudgetError(
        "invalid_input",
        `${flags.url ? "--url" : "BUDGET_URL"} ${JSON.stringify(url)}: give the server's http(s) URL, e.g. http://127.0.0.1:4100`,
      );
    return { target: { kind: "remote", url }, from: flags.url ? "--url" : "BUDGET_URL", apiKey, local: null };
  }
  const local = loadSettings(flags, env);
  return { target: local.store, from: local.storeFrom, apiKey, local };
}

/** The URL a service started with `config` answers on (`BUDGET_URL` when set names it instead). */
export function serviceUrlOf(config: ServerConfig, env: Env = process.env): string {
  const explicit = nonEmpty(env.BUDGET_URL);
  if (explicit) return explicit.replace(/\/$/, "");
  const h = config.server.host;
  const host = h === "0.0.0.0" || h === "::" ? "127.0.0.1" : h.includes(":") ? `[${h}]` : h;
  return `http://${host}:${config.server.port}`;
}
