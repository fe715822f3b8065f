import { createBudgetEngine, createManualClock, createMemoryStore, type Store } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createPostgresStore } from "@budget/store/postgres";
import { afterEach, describe, expect, it } from "vitest";
import {
  dropSchema,
  PG_TEST_URL,
  postgresAvailable,
  randomSchema,
} from "../../../store/src/testing/postgres-test-db.js";
import { createBudgetApp } from "../app/create-app.js";
import { type Listening, listen } from "../node/listen.js";
import { createAuth } from "./auth.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup.length = 0;
});

/** One service instance on `store`: its own engine, key cache and HTTP server. */
async function instance(store: Store, watch: boolean) {
  const engine = createBudgetEngine({
    store,
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-01T00:00:00Z"),
  });
  // A frozen clock: cached keys never expire, so only a change report can drop one.
  const auth = createAuth(store, { watch, now: () => 1_000 });
  await auth.watching;
  const built = createBudgetApp({ engine, keys: auth, sseHeartbeatMs: 3_600_000 });
  const server = await listen(built.fetch);
  cleanup.push(async () => {
    built.close();
    await server.close();
    await auth.close();
  });
  return { auth, server };
}

/**
 * Resolves with what the stream carried once the server ends it. No deadline of its own: a stream
 * that never ends fails the test by its timeout, and slowness alone cannot fail it.
 */
async function endOf(res: Response): Promise<string> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += value;
  }
}

const get = (server: Listening, path: string, key: string) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe("revocation is immediate", () => {
  it("ends the open event streams of a revoked key", async () => {
    const store = createMemoryStore();
    const { auth, server } = await instance(store, false);
    const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
    const { key, record } = await auth.createKey({ name: "reader", role: "reader" });
    const other = (await auth.createKey({ name: "other", role: "reader" })).key;
    const stream = await get(server, "/v1/events", key);
    const untouched = await get(server, "/v1/events", other);
    expect(stream.status).toBe(200);
    const ended = endOf(stream);
    const revoke = await fetch(`${server.url}/v1/keys/${record.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(revoke.status).toBe(200);
    // The heartbeat is an hour away: only the revocation can have ended the stream.
    expect(await ended).not.toContain(": ping");
    expect((await get(server, "/v1/events", key)).status).toBe(401);
    // Another key's stream stays open.
    const reader = untouched.body!.getReader();
    const next = await Promise.race([
      reader.read().then(() => "data"),
      new Promise((r) => setTimeout(() => r("open"), 200)),
    ]);
    expect(["open", "data"]).toContain(next);
    await reader.cancel();
  });

  it("ends a stream within a heartbeat when another instance revokes its key without telling (no change reports)", async () => {
    const store = createMemoryStore();
    const engine = createBudgetEngine({
      store,
      catalog: createTestCatalog(),
      clock: createManualClock("2026-05-01T00:00:00Z"),
    });
    const authA = createAuth(store);
    const authB = createAuth(store);
    const builtA = createBudgetApp({ engine, keys: authA, sseHeartbeatMs: 100 });
    const server = await listen(builtA.fetch);
    cleanup.push(async () => {
      builtA.close();
      await server.close();
    });
    const { key, record } = await authA.createKey({ name: "reader", role: "reader" });
    const stream = await get(server, "/v1/events", key);
    expect(stream.status).toBe(200);
    const ended = endOf(stream);
    await authB.revokeKey(record.id); // instance A is not told
    // A's key cache would serve the key for 10 s more; the heartbeat's check ended the stream.
    expect(await ended).toContain(": ping");
  });

  it("drops a key revoked on another instance sharing PostgreSQL at once, and ends its streams there", async () => {
    if (!(await postgresAvailable())) return;
    const schema = randomSchema();
    const storeA = await createPostgresStore({ url: PG_TEST_URL, schema, poolSize: 4 });
    const storeB = await createPostgresStore({ url: PG_TEST_URL, schema, poolSize: 4 });
    cleanup.push(async () => {
      await storeA.close();
      await storeB.close();
      await dropSchema(schema);
    });
    const a = await instance(storeA, true);
    const b = await instance(storeB, true);
    const { key, record } = await a.auth.createKey({ name: "admin-ish", role: "admin" });
    // A has the key cached (its TTL never runs out here) and a stream open with it.
    expect((await get(a.server, "/v1/budgets", key)).status).toBe(200);
    const stream = await get(a.server, "/v1/events", key);
    expect(stream.status).toBe(200);
    const ended = endOf(stream);

    await b.auth.revokeKey(record.id);
    // A heartbeat is an hour away and A's cache never expires: only B's change report, which
    // clears the cache before it ends streams, can end this one and refuse the key.
    expect(await ended).not.toContain(": ping");
    expect((await get(a.server, "/v1/budgets", key)).status).toBe(401);
  });
});
