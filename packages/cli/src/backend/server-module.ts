/** `@budget/server`'s exports: the CLI reuses its composition (startServer, keys). */
export type ServerModule = typeof import("@budget/server");

let loaded: Promise<ServerModule> | undefined;

/** Loads `@budget/server` once, on demand: it is heavy, and most commands start faster without it. */
export function loadServerModule(): Promise<ServerModule> {
  loaded ??= import("@budget/server");
  return loaded;
}
