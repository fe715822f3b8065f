import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BudgetError } from "@budget/core";
import { type ApiKeyRecord, createMemoryKeyStore, type KeyStore } from "./api-keys.js";

/**
 * A {@link KeyStore} persisted as a JSON file (mode 0600) holding only key hashes. The SQL store
 * exposes no table for keys, so they live beside the database (`<db file>.keys.json` by default).
 * Writes go through a temporary file and a rename, so a crash never leaves half a file.
 */
export function createFileKeyStore(file: string): KeyStore {
  let initial: ApiKeyRecord[] = [];
  if (existsSync(file)) {
    try {
      initial = (JSON.parse(readFileSync(file, "utf8")) as { keys: ApiKeyRecord[] }).keys;
    } catch (err) {
      throw new BudgetError("invalid_input", `cannot read API keys file ${file}: ${(err as Error).message}`);
    }
  }
  const memory = createMemoryKeyStore(initial);
  const save = async () => {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ keys: await memory.list() }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
  return {
    list: () => memory.list(),
    findByHash: (hash) => memory.findByHash(hash),
    async put(key) {
      await memory.put(key);
      await save();
    },
  };
}
