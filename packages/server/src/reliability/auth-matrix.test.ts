import { createMemoryStore, type Store } from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayConfigSchema } from "../gateway/gateway-config.js";
import { type FakeUpstream, startFakeUpstream } from "../testing/fake-upstream.js";
import {
  concretePath,
  createFixture,
  type DocumentedRoute,
  documentedRoutes,
  GATEWAY_BODIES,
  IDENTITIES,
  type Identity,
  send,
  snapshot,
  validBody,
} from "../testing/reliability-fixture.js";

// A gateway key reads nothing: below reader on every API route.
const RANK = { gateway: 0, reader: 1, writer: 2, admin: 3 } as const;
const ROLE_OF = {
  gateway: "gateway",
  reader: "reader",
  writerOther: "writer",
  writer: "writer",
  admin: "admin",
} as const;

/** What the documented role table says an identity gets on a route: `ok`, 401 or 403. */
function expected(route: DocumentedRoute, who: Identity): "ok" | 401 | 403 {
  if (route.role === "public") return "ok";
  if (who === "none" || who === "bad" || who === "revoked") return 401;
  const role = ROLE_OF[who];
  // Where the document lists the roles (the gateway's routes), exactly those; else at least the role.
  if (route.roles ? !route.roles.includes(role) : RANK[role] < RANK[route.role]) return 403;
  if (who === "writerOther" && route.writerScope !== null) return 403;
  return "ok";
}

describe("auth matrix: every documented route × every identity, against the role table", () => {
  it("answers exactly what x-budget-role and x-budget-writer-scope document, and a refusal changes nothing", async () => {
    const probe = await createFixture(createMemoryStore());
    const routes = await documentedRoutes(probe.app);
    probe.app.close();
    expect(routes.length).toBeGreaterThanOrEqual(40);
    expect(routes.every((r) => r.role !== undefined)).toBe(true);
    const cells: string[] = [];
    for (const route of routes) {
      const store = createMemoryStore();
      const f = await createFixture(store);
      const path = concretePath(route.path, f);
      const body = validBody(route);
      for (const who of IDENTITIES) {
        const before = await snapshot(store);
        const res = await send(f.app, {
          method: route.method,
          path,
          secret: f.secrets[who],
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        if (route.path === "/v1/events") await res.body?.cancel();
        const want = expected(route, who);
        // A batch answers 200 with each operation's own status: its one operation's status is the cell.
        const status =
          route.path === "/v1/batch" && res.status === 200
            ? (((await res.json()) as { results: { status: number }[] }).results[0]?.status ?? 500)
            : res.status;
        const got = status === 401 || status === 403 ? status : "ok";
        cells.push(`${route.method} ${route.path} ${who}: ${status}`);
        expect(status, `${route.method} ${route.path} as ${who}`).toBeLessThan(500);
        expect(got, `${route.method} ${route.path} as ${who} (${status})`).toBe(want);
        if (want !== "ok")
          expect(await snapshot(store), `${route.method} ${route.path} as ${who}`).toBe(before);
      }
      f.app.close();
    }
    expect(cells.length).toBe(routes.length * IDENTITIES.length);
  }, 60_000);
});

const UPSTREAM_KEY = "sk-auth-matrix-upstream-0123456789";
let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({ key: UPSTREAM_KEY });
});
afterAll(() => upstream.close());

/** Waits until the ledger holds `n` events: an allowed call is committed after its answer. */
async function eventsReach(store: Store, n: number): Promise<void> {
  for (let i = 0; i < 1000 && (await store.listEvents({ limit: 1000 })).events.length < n; i++)
    await new Promise((r) => setTimeout(r, 2));
}

describe("auth matrix: the gateway's documented routes × every identity", () => {
  it("gateway, writer (for its own component) and admin keys call through; the rest are refused, changing nothing", async () => {
    const store = createMemoryStore();
    const config = gatewayConfigSchema.parse({
      upstreams: [
        { id: "openai", api: "openai", baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY, provider: "test" },
        {
          id: "anthropic",
          api: "anthropic",
          baseUrl: upstream.baseUrl,
          apiKey: UPSTREAM_KEY,
          provider: "test",
        },
      ],
    });
    const f = await createFixture(store, { gateway: { config } });
    const routes = (await documentedRoutes(f.app)).filter((r) => r.path.startsWith("/gateway/"));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(routes.every((r) => r.role === "gateway" && r.roles !== null)).toBe(true);
    const cells: string[] = [];
    for (const route of routes) {
      const endpoint = route.path.split("/v1/")[1] ?? "";
      const api = endpoint.startsWith("messages") ? "anthropic" : "openai";
      for (const who of IDENTITIES) {
        const before = await snapshot(store);
        const events = (await store.listEvents({ limit: 1000 })).events.length;
        const res = await send(f.app, {
          method: route.method,
          path: route.path.replace("{upstream}", api),
          secret: f.secrets[who],
          body: JSON.stringify(GATEWAY_BODIES[endpoint] ?? { model: "test-model" }),
          // Names writer a's component: writer b's key may not spend for it, the gateway key may narrow to it.
          headers: { "x-budget-component": "a" },
        });
        await res.arrayBuffer();
        const want = expected(route, who);
        const status = res.status;
        const got = status === 401 || status === 403 ? status : "ok";
        cells.push(`${route.method} ${route.path} ${who}: ${status}`);
        expect(got, `${route.method} ${route.path} as ${who} (${status})`).toBe(want);
        if (want === "ok") {
          expect(res.status, `${route.method} ${route.path} as ${who}`).toBe(200);
          if (route.writerScope !== null) await eventsReach(store, events + 1);
        } else expect(await snapshot(store), `${route.method} ${route.path} as ${who}`).toBe(before);
      }
    }
    f.app.close();
    expect(cells.length).toBe(routes.length * IDENTITIES.length);
  }, 60_000);
});
