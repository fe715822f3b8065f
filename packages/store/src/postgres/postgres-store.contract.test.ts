import { describeStoreContract } from "@budget/core/testing";
import { describe, it } from "vitest";
import {
  createTestPostgresStore,
  destroyTestPostgresStore,
  postgresAvailable,
} from "../testing/postgres-test-db.js";
import type { PostgresStore } from "./postgres-store.js";

if (await postgresAvailable()) {
  describeStoreContract("PostgresStore", {
    create: () => createTestPostgresStore(),
    destroy: (store) => destroyTestPostgresStore(store as PostgresStore),
  });
  // Slices change the hot path, never what a store answers.
  describeStoreContract("PostgresStore with slices", {
    create: () => createTestPostgresStore({ slices: { enabled: true } }),
    destroy: (store) => destroyTestPostgresStore(store as PostgresStore),
  });
} else {
  describe.skip("Store contract: PostgresStore (no PostgreSQL server)", () => {
    it("needs PostgreSQL", () => {});
  });
}
