import { hash, randomBytes } from "node:crypto";
import { z } from "zod";
import { type Dimensions, dimensionsSchema } from "../budget/dimensions.js";
import type { Store } from "../ports/store.js";

/**
 * What a key may do: `admin` everything, `writer` spend (within its scope) and read, `reader`
 * read, `gateway` only call providers through the gateway (with its dimensions).
 */
export const ROLES = ["gateway", "reader", "writer", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Zod schema of a key's restriction to components and projects (writer keys). */
export const keyScopeSchema = z
  .object({
    components: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    projects: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
    /** Dimensions the key's calls carry; provider and model come from each call. */
    dimensions: dimensionsSchema.omit({ provider: true, model: true }).strict().optional(),
  })
  .strict();

/** An API key as stored: never the secret itself, only its SHA-256. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  /** Writer keys: the components and projects they may spend for (absent: any). */
  components?: string[];
  projects?: string[];
  /** Dimensions every call made with the key carries; a request may narrow them, never change them. */
  dimensions?: Dimensions;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  /** The first characters of the key, to recognize it in lists. */
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}

/** Where keys live: a {@link Store}'s keys ({@link createStoreKeyStore}), or memory. */
export interface KeyStore {
  list(): Promise<ApiKeyRecord[]>;
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  put(key: ApiKeyRecord): Promise<void>;
  /** Optional: reports keys changed elsewhere (see `Store.watchApiKeys`); resolves to a stop function. */
  watch?(listener: (keyId: string) => void): Promise<() => Promise<void>>;
}

/** SHA-256 hex of a key. Keys are random and long, so a fast unsalted hash is sound here. */
export function hashKey(key: string): string {
  return hash("sha256", key, "hex");
}

/** A new key secret: `bgt_` + 32 random bytes, base64url. */
export function generateKey(): string {
  return `bgt_${randomBytes(32).toString("base64url")}`;
}

/** An in-memory {@link KeyStore} (tests, or a server whose keys come from config only). */
export function createMemoryKeyStore(initial: ApiKeyRecord[] = []): KeyStore {
  const byId = new Map(initial.map((k) => [k.id, k]));
  const byHash = new Map(initial.map((k) => [k.hash, k]));
  return {
    list: async () => [...byId.values()].map((k) => ({ ...k })),
    async findByHash(hash) {
      const k = byHash.get(hash);
      return k ? { ...k } : null;
    },
    async put(key) {
      const prev = byId.get(key.id);
      if (prev) byHash.delete(prev.hash);
      byId.set(key.id, { ...key });
      byHash.set(key.hash, { ...key });
    },
  };
}

/** API keys in the store's database, so every instance sharing it sees the same keys. */
export function createStoreKeyStore(store: Store): KeyStore {
  const watch = store.watchApiKeys?.bind(store);
  return {
    list: () => store.listApiKeys(),
    findByHash: (hash) => store.getApiKeyByHash(hash),
    put: (key) => store.putApiKey(key),
    ...(watch ? { watch } : {}),
  };
}
