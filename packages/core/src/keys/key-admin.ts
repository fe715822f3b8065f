import type { Dimensions } from "../budget/dimensions.js";
import { BudgetError } from "../errors/budget-error.js";
import type { ApiKeyStore } from "../ports/store.js";
import { type ApiKeyRecord, generateKey, hashKey, type Role } from "./api-keys.js";

/** Input of {@link createApiKey}. */
export interface CreateKeyInput {
  name: string;
  role: Role;
  components?: string[] | undefined;
  projects?: string[] | undefined;
  dimensions?: Dimensions | undefined;
  /** Use this secret instead of generating one (bootstrap from an environment variable). */
  secret?: string | undefined;
}

/**
 * Creates and stores a key: the secret is returned once, only its hash is kept. The id derives
 * from the secret, so creating the same secret twice yields the same key.
 */
export async function createApiKey(
  keys: ApiKeyStore,
  input: CreateKeyInput,
  now: number,
): Promise<{ key: string; record: ApiKeyRecord }> {
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
    createdAt: now,
    revokedAt: null,
  };
  await keys.putApiKey(record);
  return { key, record };
}

/** Revokes a key (`not_found` if there is none; revoking twice keeps the first instant). */
export async function revokeApiKey(keys: ApiKeyStore, id: string, now: number): Promise<ApiKeyRecord> {
  const k = (await keys.listApiKeys()).find((x) => x.id === id);
  if (!k) throw new BudgetError("not_found", `API key ${id} not found`);
  const revoked = { ...k, revokedAt: k.revokedAt ?? now };
  await keys.putApiKey(revoked);
  return revoked;
}
