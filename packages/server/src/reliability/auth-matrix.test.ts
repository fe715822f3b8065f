import { createMemoryStore } from "@budget/core";
import { describe, expect, it } from "vitest";
import {
  concretePath,
  createFixture,
  type DocumentedRoute,
  documentedRoutes,
  IDENTITIES,
  type Identity,
  send,
  snapshot,
  validBody,
} from "../testing/reliability-fixture.js";

const RANK = { reader: 1, writer: 2, admin: 3 } as const;

/** What the documented role table says an identity gets on a route: `ok`, 401 or 403. */
function expected(route: DocumentedRoute, who: Identity): "ok" | 401 | 403 {
  if (route.role === "public") return "ok";
  if (who === "none" || who === "bad" || who === "revoked") return 401;
  const rank = who === "admin" ? 3 : who === "reader" ? 1 : 2;
  if (rank < RANK[route.role]) return 403;
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
        const got = res.status === 401 || res.status === 403 ? res.status : "ok";
        cells.push(`${route.method} ${route.path} ${who}: ${res.status}`);
        expect(res.status, `${route.method} ${route.path} as ${who}`).toBeLessThan(500);
        expect(got, `${route.method} ${route.path} as ${who} (${res.status})`).toBe(want);
        if (want !== "ok")
          expect(await snapshot(store), `${route.method} ${route.path} as ${who}`).toBe(before);
      }
      f.app.close();
    }
    expect(cells.length).toBe(routes.length * IDENTITIES.length);
  }, 60_000);
});
