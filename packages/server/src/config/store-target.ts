import { resolve } from "node:path";
import type { SliceOptions } from "@budget/store";
import type { ServerConfig } from "./config-schema.js";

/** The database a process opens: a SQLite file (or `:memory:`) or a PostgreSQL URL. */
export type StoreTarget =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string; slices?: SliceOptions | undefined };

/** What a client talks to: a database it opens itself, or a running Budget service. */
export type BackendTarget = StoreTarget | { kind: "remote"; url: string };

/** The store a validated config names: PostgreSQL when `database.url` is set, else the SQLite file. */
export function storeTargetOf(config: ServerConfig): StoreTarget {
  return config.database.url
    ? { kind: "postgres", url: config.database.url, slices: config.database.slices }
    : { kind: "sqlite", file: config.database.file };
}

/**
 * A URL fit for logs and terminals: the password (in the authority or a `password=` query
 * parameter) is removed, everything else kept. Unparseable input is cut to its scheme.
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    return scheme ? `${scheme}://(unparseable URL)` : "(unparseable URL)";
  }
  const u = new URL(url);
  u.password = "";
  if (u.searchParams.has("password")) u.searchParams.delete("password");
  return u.toString().replace(/\/$/, "");
}

/**
 * One line naming a backend and where it is, for `--verbose`, `status` and the server's first log
 * line: `SQLite /abs/data/budget.db`, `SQLite in memory`, `PostgreSQL postgres://budget@db:5432/budget`
 * (never the password), `Budget service http://127.0.0.1:4100`.
 */
export function describeTarget(target: BackendTarget, cwd: string = process.cwd()): string {
  switch (target.kind) {
    case "sqlite":
      return target.file === ":memory:" ? "SQLite in memory" : `SQLite ${resolve(cwd, target.file)}`;
    case "postgres":
      return `PostgreSQL ${redactUrl(target.url)}`;
    case "remote":
      return `Budget service ${redactUrl(target.url)}`;
  }
}
