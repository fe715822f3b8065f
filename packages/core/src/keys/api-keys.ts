import { z } from "zod";
import { type Dimensions, dimensionsSchema } from "../budget/dimensions.js";
import type { ApiKeyStore } from "../ports/store.js";

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

/** SHA-256 hex of a key. Keys are random and long, so a fast unsalted hash is sound here. */
export function hashKey(key: string): string {
  // node:crypto loads on first use (see ports/ids.ts).
  return process.getBuiltinModule("node:crypto").hash("sha256", key, "hex");
}

/** A new key secret: `bgt_` + 32 random bytes, base64url. */
export function generateKey(): string {
  return `bgt_${process.getBuiltinModule("node:crypto").randomBytes(32).toString("base64url")}`;
}

/** An in-memory {@link ApiKeyStore} (tests, or a server whose keys come from config only). */
export function createMemoryKeyStore(initial: ApiKeyRecord[] = []): ApiKeyStore {
  const byId = new Map(initial.map((k) => [k.id, k]));
  const byHash = new Map(initial.map((k) => [k.hash, k]));
  return {
    listApiKeys: async () => [...byId.values()].map((k) => ({ ...k })),
    async getApiKeyByHash(hash) {
      const k = byHash.get(hash);
      return k ? { ...k } : null;
    },
    async putApiKey(key) {
      const prev = byId.get(key.id);
      if (prev) byHash.delete(prev.hash);
      byId.set(key.id, { ...key });
      byHash.set(key.hash, { ...key });
    },
  };
}
