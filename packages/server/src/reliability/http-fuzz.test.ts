import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "@budget/store/sqlite";
import { afterAll, describe, expect, it } from "vitest";
import {
  concretePath,
  createFixture,
  type DocumentedRoute,
  documentedRoutes,
  send,
  snapshot,
  validBody,
} from "../testing/reliability-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "budget-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** At most this many requests in all: the suite stays bounded in time. */
const MAX_REQUESTS = 4000;

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number): unknown => (n === 0 ? 1 : { a: deepObject(n - 1) });

/** Raw bodies that are not the JSON object a route wants. */
const RAW_BODIES = [
  "{",
  "[1,",
  "nul",
  '{"a":}',
  "\u0000",
  "null",
  "[]",
  '"s"',
  "123",
  "true",
  deep(5000),
  "{}".repeat(3),
];

/** Values put in place of each field of a valid body: wrong types, extremes, NaN-likes, long, deep. */
const BAD_VALUES: unknown[] = [
  "x",
  -1,
  0,
  1.5,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  -(2 ** 63),
  1e308,
  -1e308,
  "NaN",
  "Infinity",
  "9".repeat(30),
  "9".repeat(400),
  "x".repeat(100_000),
  {},
  [],
  null,
  true,
  deepObject(200),
];

/** Query values: empty, long, negative, NaN, overflowing, a NUL. */
const BAD_QUERY = ["", "x".repeat(5000), "-1", "NaN", "1e309", "9".repeat(30), "%00", "%FF%FE", "2026-13-45"];
const BAD_IDS = ["x".repeat(300), "%2e%2e%2f%2e%2e", "%00", "%C3%A9%F0%9F%92%A5", "run:%20"];

/** The top-level fields a route's documented body (or its valid example) has. */
function fieldsOf(route: DocumentedRoute, doc: Record<string, unknown>): string[] {
  const op = (doc.paths as Record<string, Record<string, { requestBody?: unknown }>>)[route.path]?.[
    route.method.toLowerCase()
  ];
  const content = (op?.requestBody as { content?: Record<string, { schema?: Record<string, unknown> }> })
    ?.content;
  let schema = content?.["application/json"]?.schema;
  const ref = schema?.$ref as string | undefined;
  if (ref)
    schema = (doc.components as { schemas: Record<string, Record<string, unknown>> }).schemas[
      ref.split("/").pop()!
    ];
  const props = Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
  const example = validBody(route);
  const fromExample: string[] = [];
  if (example && typeof example === "object")
    for (const [k, v] of Object.entries(example)) {
      fromExample.push(k);
      // One level down too: `usage.inputTokens`, `dimensions.component`, `target.at`.
      if (v && typeof v === "object" && !Array.isArray(v))
        for (const sub of Object.keys(v)) fromExample.push(`${k}.${sub}`);
    }
  return [...new Set([...props, ...fromExample])];
}

/** `body` with the (dot-separated) `field` set to `value`. */
function withField(body: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const [head, sub] = field.split(".") as [string, string | undefined];
  if (sub === undefined) return { ...body, [head]: value };
  const inner = body[head];
  return { ...body, [head]: { ...(inner && typeof inner === "object" ? inner : {}), [sub]: value } };
}

interface Probe {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
}

/** Every malformed request for one route. */
function probesFor(route: DocumentedRoute, path: string, doc: Record<string, unknown>): Probe[] {
  const { method } = route;
  const probes: Probe[] = [];
  const base = validBody(route);
  if (route.hasBody || method !== "GET") {
    for (const body of RAW_BODIES) probes.push({ method, path, body });
    const valid = (base ?? {}) as Record<string, unknown>;
    probes.push({ method, path, body: JSON.stringify({ ...valid, zzzExtra: 1 }) });
    probes.push({ method, path, body: JSON.stringify(valid), contentType: "text/plain" });
    probes.push({ method, path, body: "a=1&b=2", contentType: "application/x-www-form-urlencoded" });
    probes.push({ method, path, body: `{"pad":"${"x".repeat(1_100_000)}"}` });
    for (const field of fieldsOf(route, doc)) {
      for (const v of BAD_VALUES)
        probes.push({ method, path, body: JSON.stringify(withField(valid, field, v)) });
      // 1e999 parses to Infinity: written into the text, since JSON.stringify cannot.
      const marked = JSON.stringify(withField(valid, field, "__INF__")).replace('"__INF__"', "1e999");
      probes.push({ method, path, body: marked });
    }
  }
  for (const q of [...route.query, "componnt"]) {
    for (const v of BAD_QUERY)
      probes.push({ method, path: `${path}?${q}=${v.startsWith("%") ? v : encodeURIComponent(v)}` });
    probes.push({ method, path: `${path}?${q}=1&${q}=2` });
  }
  if (route.path.includes("{"))
    for (const id of BAD_IDS)
      probes.push({
        method,
        path: route.path.replace("{id}", id).replace("{limitId}", id),
        ...(base !== undefined ? { body: JSON.stringify(base) } : {}),
      });
  return probes;
}

describe("HTTP fuzz over every route of the OpenAPI document", () => {
  it("never answers 5xx, and a rejected request leaves the state as it was", async () => {
    const store = await createSqliteStore({ file: join(dir, "fuzz.db") });
    const f = await createFixture(store);
    const doc = (await (await send(f.app, { method: "GET", path: "/v1/openapi.json" })).json()) as Record<
      string,
      unknown
    >;
    const routes = await documentedRoutes(f.app);
    let sent = 0;
    let rejected = 0;
    const failures: string[] = [];
    let state = await snapshot(store);
    for (const route of routes) {
      for (const probe of probesFor(route, concretePath(route.path, f), doc)) {
        if (sent >= MAX_REQUESTS) break;
        sent += 1;
        const res = await send(f.app, { ...probe, secret: f.secrets.admin });
        const what = `${probe.method} ${probe.path.slice(0, 120)} ${(probe.body ?? "").slice(0, 120)}`;
        if (route.path === "/v1/events" || res.headers.get("content-type")?.includes("event-stream"))
          await res.body?.cancel();
        else await res.arrayBuffer();
        if (res.status >= 500) failures.push(`${res.status} ${what}`);
        const after = await snapshot(store);
        if (res.status >= 400) {
          rejected += 1;
          if (after !== state) failures.push(`changed state on ${res.status}: ${what}`);
        }
        state = after;
      }
    }
    f.app.close();
    await store.close();
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1500);
    expect(rejected / sent).toBeGreaterThan(0.75);
    console.info(`http fuzz: ${sent} requests over ${routes.length} routes, ${rejected} rejected, 0 5xx`);
  }, 120_000);
});
