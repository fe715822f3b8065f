import { BudgetError, type Dimensions } from "@budget/core";
import { type ApiKeyRecord, generateKey, hashKey, type KeyStore, type Role } from "./api-keys.js";

// A gateway key reads nothing: below reader. Routes that a gateway key may use name it explicitly.
const RANK: Record<Role, number> = { gateway: 0, reader: 1, writer: 2, admin: 3 };

/** Input of {@link Auth.createKey}. */
export interface CreateKeyInput {
  name: string;
  role: Role;
  components?: string[] | undefined;
  projects?: string[] | undefined;
  dimensions?: Dimensions | undefined;
  /** Use this secret instead of generating one (bootstrap from an environment variable). */
  secret?: string | undefined;
}

/** Key lookup, role checks and key management over a {@link KeyStore}. */
export interface Auth {
  /** The key a request presents (`Authorization: Bearer bgt_…` or `X-Api-Key`), or null. */
  authenticate(secret: string | null): Promise<ApiKeyRecord | null>;
  createKey(input: CreateKeyInput): Promise<{ key: string; record: ApiKeyRecord }>;
  listKeys(): Promise<ApiKeyRecord[]>;
  revokeKey(id: string): Promise<ApiKeyRecord>;
  /** Makes sure an admin key exists: `secret` if given, else a new one (returned once, to print). */
  bootstrapAdmin(secret?: string): Promise<{ created: boolean; key: string | null }>;
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

/**
 * Budgets a key may create, change or reset. Admins: any. Writers: only a run's own budgets — id
 * `run:<R>` or `run:<R>:<part>`, scoped to `run: R` exactly (before and after the change) — which
 * is what an orchestrator needs to start a run with a writer key; such a budget limits only the
 * calls of that run. Others are `forbidden`.
 */
export function assertMayManageBudget(
  key: ApiKeyRecord | null,
  id: string,
  scopes: readonly unknown[],
): void {
  if (!key || key.role === "admin") return;
  const run = RUN_BUDGET_ID.exec(id)?.[1];
  const pinned = (scope: unknown) =>
    typeof scope === "object" && scope !== null && (scope as { run?: unknown }).run === run;
  if (key.role === "writer" && run !== undefined && scopes.every(pinned)) return;
  throw new BudgetError(
    "forbidden",
    `this key may manage only a run's own budgets (id run:<run>[:<part>], scope { run: <run> }), not ${id}`,
  );
}

/** How long a looked-up key is trusted: a key revoked by another instance sharing the store stops working within this. */
const KEY_CACHE_TTL_MS = 10_000;
/** At most this many cached keys; the cache starts over when full. */
const KEY_CACHE_MAX = 10_000;

/**
 * Creates the {@link Auth} service. Found keys are cached for {@link KEY_CACHE_TTL_MS} by the
 * presented secret, so a request costs neither a hash nor a store query (the secret stays in this
 * process's memory only, as it does in the request); revoking a key here clears the cache at once.
 */
export function createAuth(keys: KeyStore, now: () => number = Date.now): Auth {
  const cache = new Map<string, { key: ApiKeyRecord; expiresAt: number }>();
  const lookup = async (secret: string): Promise<ApiKeyRecord | null> => {
    const at = now();
    const hit = cache.get(secret);
    if (hit && hit.expiresAt > at) return hit.key;
    const key = await keys.findByHash(hashKey(secret));
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
    async createKey(input) {
      const key = input.secret ?? generateKey();
      const record: ApiKeyRecord = {
        id: `key_${hashKey(`${key}:id`).slice(0, 16)}`,
        name: input.name,
        role: input.role,
        ...(input.components ? { components: input.components } : {}),
        ...(input.projects ? { projects: input.projects } : {}),
        ...(input.dimensions ? { dimensions: input.dimensions } : {}),
        hash: hashKey(key),
        prefix: key.slice(0, 8),
        createdAt: now(),
        revokedAt: null,
      };
      await keys.put(record);
      return { key, record };
    },
    listKeys: () => keys.list(),
    async revokeKey(id) {
      const k = (await keys.list()).find((x) => x.id === id);
      if (!k) throw new BudgetError("not_found", `API key ${id} not found`);
      const revoked = { ...k, revokedAt: k.revokedAt ?? now() };
      await keys.put(revoked);
      cache.clear();
      return revoked;
    },
    async bootstrapAdmin(secret) {
      const all = await keys.list();
      if (secret) {
        if (await keys.findByHash(hashKey(secret))) return { created: false, key: null };
        await auth.createKey({ name: "admin (BUDGET_ADMIN_KEY)", role: "admin", secret });
        return { created: true, key: null };
      }
      if (all.some((k) => k.role === "admin" && k.revokedAt === null)) return { created: false, key: null };
      const { key } = await auth.createKey({ name: "admin (first start)", role: "admin" });
      return { created: true, key };
    },
  };
  return auth;
}
