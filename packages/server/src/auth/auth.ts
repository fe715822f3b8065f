import {
  type ApiKeyRecord,
  type ApiKeyStore,
  BudgetError,
  type CreateKeyInput,
  createApiKey,
  type Dimensions,
  hashKey,
  type Role,
  type RunRecord,
  type RunStarter,
  revokeApiKey,
} from "@budget/core";

// A gateway key reads nothing: below reader. Routes that a gateway key may use name it explicitly.
const RANK: Record<Role, number> = { gateway: 0, reader: 1, writer: 2, admin: 3 };

/** Key lookup, role checks and key management over an {@link ApiKeyStore} (a `Store`, or memory). */
export interface Auth {
  /** The key a request presents (`Authorization: Bearer bgt_…` or `X-Api-Key`), or null. */
  authenticate(secret: string | null): Promise<ApiKeyRecord | null>;
  createKey(input: CreateKeyInput): Promise<{ key: string; record: ApiKeyRecord }>;
  listKeys(): Promise<ApiKeyRecord[]>;
  revokeKey(id: string): Promise<ApiKeyRecord>;
  /** Makes sure an admin key exists: `secret` if given, else a new one (returned once, to print). */
  bootstrapAdmin(secret?: string): Promise<{ created: boolean; key: string | null }>;
  /**
   * Listens to key changes — made here, or by another instance when the key store reports them
   * (`*`: anything may have changed). Returns an unsubscribe.
   */
  onKeyChange(listener: (keyId: string) => void): () => void;
  /** Whether `key` is still valid, asked of the key store itself (no cache). */
  isCurrent(key: ApiKeyRecord): Promise<boolean>;
  /** Resolves once changes made elsewhere are being watched (at once without `watch`). */
  readonly watching: Promise<void>;
  /** Stops watching the key store. */
  close(): Promise<void>;
}

/** Options of {@link createAuth}. */
export interface AuthOptions {
  now?: () => number;
  /**
   * Watch the key store for keys changed by other instances (PostgreSQL: LISTEN/NOTIFY), dropping
   * them from the cache at once. Default false: a short-lived process (the CLI) needs no listener.
   */
  watch?: boolean;
}

/** True when `role` has at least the rights of `required`. */
export function roleAllows(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/**
 * Throws `forbidden` unless a writer key's components/projects include the dimensions'. A key
 * restricted to components cannot spend without naming one. `dims` may come unchecked from a
 * request body (the engine validates it afterwards): anything but a named, allowed value is refused.
 */
export function assertScope(key: ApiKeyRecord, dims: Dimensions | undefined): void {
  if (key.role === "admin") return;
  const component = dims?.component;
  if (key.components && !(component && key.components.includes(component)))
    throw new BudgetError("forbidden", `this key may not spend for component ${component ?? "(none)"}`);
  const project = dims?.project;
  if (key.projects && !(project && key.projects.includes(project)))
    throw new BudgetError("forbidden", `this key may not spend for project ${project ?? "(none)"}`);
  assertKeyDimensions(key, dims);
}

/** Throws `forbidden` unless `dims` keeps every value the key's own dimensions fix (and all its tags). */
export function assertKeyDimensions(key: ApiKeyRecord, dims: Dimensions | undefined): void {
  const fixed = key.dimensions;
  if (!fixed) return;
  for (const [name, value] of Object.entries(fixed)) {
    if (name === "tags") continue;
    const given = (dims as Record<string, unknown> | undefined)?.[name];
    if (given !== value)
      throw new BudgetError(
        "forbidden",
        `this key spends with ${name}=${String(value)}, not ${String(given ?? "(none)")}`,
      );
  }
  const missing = (fixed.tags ?? []).find((t) => !dims?.tags?.includes(t));
  if (missing !== undefined) throw new BudgetError("forbidden", `this key's calls carry the tag ${missing}`);
}

/** `run:<R>` or `run:<R>:<part>`: the ids of a run's own budgets (see `runBudgetIds` in the orchestrator). */
const RUN_BUDGET_ID = /^run:([^:]+)(?::.+)?$/;

/** The run a budget id belongs to (`run:<R>[:<part>]` → R), or undefined. */
export function runOfBudgetId(id: string): string | undefined {
  return RUN_BUDGET_ID.exec(id)?.[1];
}

/** What a run records of the key that starts it. */
export function runStarterOf(key: ApiKeyRecord): RunStarter {
  return {
    keyId: key.id,
    ...(key.components ? { components: [...key.components] } : {}),
    ...(key.projects ? { projects: [...key.projects] } : {}),
  };
}

/** True when `key` may change, reset or finish `run`: an admin, or the key that started it. */
export function mayManageRun(key: ApiKeyRecord | null, run: RunRecord): boolean {
  return !key || key.role === "admin" || run.startedBy?.keyId === key.id;
}

/** Throws `forbidden` unless {@link mayManageRun}. */
export function assertMayManageRun(key: ApiKeyRecord | null, run: RunRecord): void {
  if (!mayManageRun(key, run))
    throw new BudgetError("forbidden", `run ${run.id} belongs to the key that started it`, { runId: run.id });
}

/**
 * Budgets a key may create, change or reset. Admins: any. Writers: only the budgets of a run they
 * started — id `run:<R>` or `run:<R>:<part>`, scoped to `run: R` exactly (before and after the
 * change), where run R was started with this key (`run` is that run as stored, or null) — which is
 * what an orchestrator needs to run with a writer key; such a budget limits only the calls of that
 * run. Others are `forbidden`.
 */
export function assertMayManageBudget(
  key: ApiKeyRecord | null,
  id: string,
  scopes: readonly unknown[],
  run: RunRecord | null,
): void {
  if (!key || key.role === "admin") return;
  const runId = runOfBudgetId(id);
  const pinned = (scope: unknown) =>
    typeof scope === "object" && scope !== null && (scope as { run?: unknown }).run === runId;
  if (key.role !== "writer" || runId === undefined || !scopes.every(pinned))
    throw new BudgetError(
      "forbidden",
      `this key may manage only a run's own budgets (id run:<run>[:<part>], scope { run: <run> }), not ${id}`,
    );
  if (run?.id !== runId || !mayManageRun(key, run))
    throw new BudgetError(
      "forbidden",
      `budget ${id} belongs to run ${runId}, which this key did not start (start it first with POST /v1/runs)`,
      { runId },
    );
}

/**
 * How long a looked-up key is trusted when its store reports no changes: a key revoked by another
 * instance sharing a store without change reports (SQLite files) stops working within this.
 */
const KEY_CACHE_TTL_MS = 10_000;
/** At most this many cached keys; the cache starts over when full. */
const KEY_CACHE_MAX = 10_000;

/**
 * Creates the {@link Auth} service. Found keys are cached for {@link KEY_CACHE_TTL_MS} by the
 * presented secret, so a request costs neither a hash nor a store query (the secret stays in this
 * process's memory only, as it does in the request); revoking a key here clears the cache at once,
 * and with `watch` so does a revocation by any instance whose store reports it.
 */
export function createAuth(keys: ApiKeyStore, options: AuthOptions | (() => number) = {}): Auth {
  const opts = typeof options === "function" ? { now: options } : options;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { key: ApiKeyRecord; expiresAt: number }>();
  const listeners = new Set<(keyId: string) => void>();
  const changed = (keyId: string) => {
    if (keyId === "*") cache.clear();
    else for (const [secret, hit] of cache) if (hit.key.id === keyId) cache.delete(secret);
    for (const l of listeners) l(keyId);
  };
  const stopWatching: Promise<(() => Promise<void>) | null> =
    opts.watch && keys.watchApiKeys ? keys.watchApiKeys(changed) : Promise.resolve(null);
  const watching = stopWatching.then(() => undefined);
  watching.catch(() => {}); // reported to whoever awaits `watching`, never as an unhandled rejection
  const lookup = async (secret: string): Promise<ApiKeyRecord | null> => {
    const at = now();
    const hit = cache.get(secret);
    if (hit && hit.expiresAt > at) return hit.key;
    const key = await keys.getApiKeyByHash(hashKey(secret));
    if (key) {
      if (cache.size >= KEY_CACHE_MAX) cache.clear();
      cache.set(secret, { key, expiresAt: at + KEY_CACHE_TTL_MS });
    } else cache.delete(secret);
    return key;
  };
  const auth: Auth = {
    async authenticate(secret) {
      if (!secret) return null;
      const key = await lookup(secret);
      return key && key.revokedAt === null ? key : null;
    },
    createKey: (input) => createApiKey(keys, input, now()),
    listKeys: () => keys.listApiKeys(),
    async revokeKey(id) {
      const revoked = await revokeApiKey(keys, id, now());
      changed(id);
      return revoked;
    },
    async bootstrapAdmin(secret) {
      const all = await keys.listApiKeys();
      if (secret) {
        if (await keys.getApiKeyByHash(hashKey(secret))) return { created: false, key: null };
        await auth.createKey({ name: "admin (BUDGET_ADMIN_KEY)", role: "admin", secret });
        return { created: true, key: null };
      }
      if (all.some((k) => k.role === "admin" && k.revokedAt === null)) return { created: false, key: null };
      const { key } = await auth.createKey({ name: "admin (first start)", role: "admin" });
      return { created: true, key };
    },
    onKeyChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async isCurrent(key) {
      const found = await keys.getApiKeyByHash(key.hash);
      return found !== null && found.id === key.id && found.revokedAt === null;
    },
    watching,
    async close() {
      listeners.clear();
      await (await stopWatching.catch(() => null))?.();
    },
  };
  return auth;
}
