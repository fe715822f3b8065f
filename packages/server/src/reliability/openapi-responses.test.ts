import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PendingPriceChange, Store } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createSqliteStore } from "@budget/store/sqlite";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { createAssistant } from "../assistant/create-assistant.js";
import { createLiveCatalog } from "../catalog/live-catalog.js";
import { assistantConfigSchema } from "../config/assistant-config.js";
import { parseConfig } from "../config/load-config.js";
import { gatewayConfigSchema } from "../gateway/gateway-config.js";
import { listen } from "../node/listen.js";
import { createServerPriceUpdater } from "../node/price-updater.js";
import { startFakeUpstream } from "../testing/fake-upstream.js";
import {
  concretePath,
  createFixture,
  documentedRoutes,
  GATEWAY_BODIES,
  validBody,
} from "../testing/reliability-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "budget-openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>> };

/** One request of the drive: a route, how it was called, and why. */
interface Call {
  method: string;
  path: string;
  url: string;
  secret?: string | null;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** What the call is meant to provoke: a success, the status of a refusal, or whatever it answers. */
  expect: "ok" | "any" | number;
}

/**
 * Every response of the API against its OpenAPI document: a real service (SQLite file store,
 * served on loopback, with the price updater, the gateway and the assistant, whose upstream is a
 * fake on 127.0.0.1) is driven through every documented route with valid and invalid requests,
 * and each answer's status must be declared for its route, its media type among that status's,
 * and its body valid against the schema the document gives there.
 */
describe("OpenAPI responses", () => {
  it("declares a response schema for every route, and every answer matches the schema of its status", async () => {
    const file = join(dir, "budget.db");
    const store = await createSqliteStore({ file });
    // The server's own price updater (over no remote source): pending changes to decide.
    const updater = createServerPriceUpdater({
      config: parseConfig({ database: { file } }, {}),
      store,
      catalog: createLiveCatalog(createTestCatalog()),
      logger: pino({ level: "silent" }),
    });
    const pending = await seedPending(store, ["bulk", "one", "two"]);
    const upstream = await startFakeUpstream({ key: UPSTREAM_KEY });
    const f = await createFixture(store, {
      updater,
      gateway: { config: gatewayConfig(upstream.baseUrl) },
      // The assistant, its model the fake upstream.
      assistant: (engine) =>
        createAssistant({
          engine,
          config: { ...assistantConfigSchema.parse({}), url: upstream.baseUrl, model: "test-model" },
          apiKey: UPSTREAM_KEY,
        }),
    });
    const server = await listen(f.app.fetch);
    try {
      const doc = (await (await fetch(`${server.url}/v1/openapi.json`)).json()) as Doc;
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(ajv);
      ajv.addSchema({ ...doc, $id: "openapi.json" });

      const schemaAt = (path: string, method: string, status: number | string, type: string) =>
        ajv.getSchema(
          `openapi.json#/paths/${pointerSegment(path)}/${method.toLowerCase()}/responses/${status}/content/${pointerSegment(type)}/schema`,
        );

      const routes = await documentedRoutes(f.app);
      // Every route documents a success with a body schema for each media type it answers.
      for (const r of routes) {
        const op = doc.paths[r.path]?.[r.method.toLowerCase()] ?? {};
        const ok = Object.entries(op.responses ?? {}).filter(([s]) => s.startsWith("2"));
        expect(ok.length, `${r.method} ${r.path}: no success response`).toBeGreaterThan(0);
        for (const [status, res] of ok) {
          const media = Object.values(res.content ?? {});
          expect(media.length, `${r.method} ${r.path} ${status}: no content`).toBeGreaterThan(0);
          for (const m of media) expect(m.schema, `${r.method} ${r.path} ${status}: no schema`).toBeDefined();
        }
      }

      // What the fixture lacks for a success: a price version, an alert, a model to name.
      const version = (await f.engine.catalog.versions())[0]?.id ?? "";
      const alert = await thresholdAlert(f);
      // What the gateway's denials hit: component `denied`'s one token, spent.
      await f.engine.upsertBudget({
        id: "denied",
        scope: { component: "denied" },
        limits: [{ id: "total", window: { type: "lifetime" }, tokens: 1 }],
      });
      await f.engine.record({
        dimensions: { component: "denied", model: "test-model" },
        usage: { inputTokens: 5 },
      });
      const ids: Record<string, string> = {
        "/v1/prices/versions/": version,
        "/v1/alerts/": alert,
        "/v1/prices/pending/{id}/approve": pending.one ?? "",
        "/v1/prices/pending/{id}/reject": pending.two ?? "",
      };
      const extraQuery: Record<string, string> = {
        "/v1/prices/show": "model=test-model",
        "/v1/prices/resolve": "model=test-model",
        "/v1/prices/history": "model=test-model",
      };
      const bodies: Record<string, unknown> = {
        "POST /v1/prices/pending/approve": { provider: "bulk" },
        "POST /v1/prices/pending/reject": { provider: "bulk" },
      };

      const valid: Call[] = [];
      const invalid: Call[] = [];
      for (const r of routes.filter((r) => r.role === "gateway")) {
        const endpoint = r.path.split("/v1/")[1] ?? "";
        const api = endpoint.startsWith("messages") ? "anthropic" : "openai";
        const url = r.path.replace("{upstream}", api);
        const body = JSON.stringify(GATEWAY_BODIES[endpoint]);
        const base = { method: r.method, path: r.path, body, headers: { "x-budget-component": "a" } };
        valid.push({ ...base, url, secret: f.secrets.admin, expect: "ok" });
        invalid.push({ ...base, url, secret: null, expect: 401 });
        invalid.push({ ...base, url, secret: f.secrets.reader, expect: 403 });
        invalid.push({ ...base, url: url.replace(api, "nope"), secret: f.secrets.admin, expect: 404 });
        // A free endpoint (count_tokens) forwards what it is sent; a budgeted one reads it first.
        if (r.writerScope !== null) {
          invalid.push({ ...base, url, secret: f.secrets.admin, body: "{", expect: 400 });
          invalid.push({
            ...base,
            url,
            secret: f.secrets.admin,
            headers: { "x-budget-component": "denied" },
            expect: 429,
          });
        }
      }
      for (const r of routes.filter((r) => r.role !== "gateway")) {
        const prefix = Object.keys(ids).find((p) => r.path.startsWith(p));
        const concrete = prefix ? r.path.replace("{id}", ids[prefix] ?? "") : concretePath(r.path, f);
        // PUT adds a second limit, so that DELETE may remove the first (a budget keeps one).
        const path = r.method === "PUT" ? concrete.replace("/limits/total", "/limits/extra") : concrete;
        const body = bodies[`${r.method} ${r.path}`] ?? validBody(r);
        const json = body === undefined ? {} : { body: JSON.stringify(body) };
        const base = { method: r.method, path: r.path };
        const query = extraQuery[r.path];
        const alt = r.query.includes("format") ? ["format=json", "format=csv"] : [query ?? ""];
        for (const q of alt)
          valid.push({
            ...base,
            url: q ? `${path}?${q}` : path,
            secret: f.secrets.admin,
            ...json,
            expect: "ok",
          });
        const admin = { ...base, secret: f.secrets.admin };
        invalid.push({ ...admin, url: `${path}?${query ? `${query}&` : ""}nope=1`, ...json, expect: 400 });
        if (r.role !== "public") {
          invalid.push({ ...base, url: path, secret: null, ...json, expect: 401 });
          if (r.role === "admin")
            invalid.push({ ...base, url: path, secret: f.secrets.reader, ...json, expect: 403 });
        }
        // A made-up id (but where PUT creates the budget).
        if (r.path.includes("{id}") && `${r.method} ${r.path}` !== "PUT /v1/budgets/{id}")
          invalid.push({
            ...admin,
            url: r.path.replace("{id}", "missing-0").replace("{limitId}", "total"),
            ...json,
            expect: 404,
          });
        if (r.hasBody) {
          invalid.push({ ...admin, url: path, body: "{", expect: 400 });
          invalid.push({ ...admin, url: path, body: '{"extra":[1]}', expect: 400 });
          invalid.push({ ...admin, url: path, body: "a=1", contentType: "text/plain", expect: 415 });
        }
      }
      // Deletions last, so every other route still finds what the fixture made; a budget's limit before the budget.
      const last = (c: Call) =>
        c.method === "DELETE" && c.expect === "ok" ? 10 - c.path.split("/").length : 0;
      // Each change again (a finished run, a released reservation: the conflicts), and of a model
      // no price knows (`unknown_model`): whatever they answer must be declared too.
      const mystery = (s: string) => s.replaceAll("test-model", "mystery-model");
      const again = valid
        .filter((c) => c.method !== "DELETE")
        .flatMap((c): Call[] => [
          ...(c.method !== "GET" ? [{ ...c, expect: "any" as const }] : []),
          ...(`${c.url}${c.body}`.includes("test-model")
            ? [
                {
                  ...c,
                  url: mystery(c.url),
                  ...(c.body ? { body: mystery(c.body) } : {}),
                  expect: "any" as const,
                },
              ]
            : []),
        ]);
      const calls = [...valid, ...again, ...invalid].sort((a, b) => last(a) - last(b));

      const failures: string[] = [];
      const statuses = new Set<number>();
      const succeeded = new Set<string>();
      for (const call of calls) {
        const headers: Record<string, string> = { ...call.headers };
        if (call.secret) headers.authorization = `Bearer ${call.secret}`;
        if (call.body !== undefined) headers["content-type"] = call.contentType ?? "application/json";
        const controller = new AbortController();
        const res = await fetch(`${server.url}${call.url}`, {
          method: call.method,
          headers,
          signal: controller.signal,
          ...(call.body !== undefined ? { body: call.body } : {}),
        });
        const what = `${call.method} ${call.url} (${call.expect})`;
        const type = (res.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
        // A stream does not end: its first bytes are read, then it is dropped.
        const text =
          type === "text/event-stream" ? await readFirst(res, controller) : await res.text().catch(() => "");
        // A made-up id is a 404, or a 400 where the id itself is malformed (a reservation's).
        const meant = call.expect === 404 ? [404, 400] : [call.expect];
        if (typeof call.expect === "number" && !meant.includes(res.status))
          failures.push(`${what}: answered ${res.status}, meant ${call.expect}: ${text.slice(0, 200)}`);
        statuses.add(res.status);
        if (res.status < 300) succeeded.add(`${call.method} ${call.path}`);
        if (call.expect === "ok" && res.status >= 300)
          failures.push(`${what}: answered ${res.status}: ${text.slice(0, 200)}`);
        const op = doc.paths[call.path]?.[call.method.toLowerCase()];
        // The gateway passes an upstream's own errors through: its document's `default`.
        const status = op?.responses?.[String(res.status)] ? String(res.status) : "default";
        const declared = op?.responses?.[status];
        if (!declared) {
          failures.push(`${what}: status ${res.status} is not declared`);
          continue;
        }
        const media = declared.content?.[type];
        if (!media?.schema) {
          failures.push(`${what}: ${res.status} ${type} is not declared`);
          continue;
        }
        const validate = schemaAt(call.path, call.method, status, type);
        if (!validate) {
          failures.push(`${what}: the document has no schema there`);
          continue;
        }
        const value = type.endsWith("json") ? JSON.parse(text) : text;
        if (!validate(value))
          failures.push(`${what}: ${JSON.stringify(validate.errors?.slice(0, 12))} in ${text.slice(0, 300)}`);
      }
      expect(failures).toEqual([]);
      // Every route answered a success at least once, and its refusals too.
      expect([...succeeded].sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
      expect(calls.length).toBeGreaterThan(150);
      expect([...statuses].sort()).toEqual([200, 201, 400, 401, 403, 404, 409, 415, 422, 429]);

      // The schemas refuse what they should: a body missing fields, a code its status does not carry.
      const budget = schemaAt("/v1/budgets/{id}", "GET", 200, "application/json");
      expect(budget?.({ id: "x" })).toBe(false);
      const problem = schemaAt("/v1/budgets/{id}", "GET", 400, "application/problem+json");
      const bad = { type: "t", title: "Bad Request", status: 400, detail: "d" };
      expect(problem?.({ ...bad, code: "invalid_input" })).toBe(true);
      expect(problem?.({ ...bad, code: "not_found" })).toBe(false);
    } finally {
      await server.close();
      f.app.close();
      updater.stop();
      await upstream.close();
      await store.close();
    }
  }, 60_000);
});

const UPSTREAM_KEY = "sk-openapi-responses-upstream-0123456789";

/** An OpenAI and an Anthropic upstream, both the fake at `baseUrl`. */
function gatewayConfig(baseUrl: string) {
  const upstream = { baseUrl, apiKey: UPSTREAM_KEY, provider: "test" };
  return gatewayConfigSchema.parse({
    upstreams: [
      { id: "openai", api: "openai", ...upstream },
      { id: "anthropic", api: "anthropic", ...upstream },
    ],
  });
}

/** One pending price change per provider (a copy of a test price under that provider): their ids by provider. */
async function seedPending(store: Store, providers: string[]): Promise<Record<string, string>> {
  const base = createTestCatalog().versions()[0];
  if (!base) throw new Error("the test catalog has no price");
  const out: Record<string, string> = {};
  for (const [i, provider] of providers.entries()) {
    const change: PendingPriceChange = {
      id: `pending-${provider}`,
      status: "pending",
      createdAt: i,
      decidedAt: null,
      provider,
      model: base.model,
      proposed: { ...base, id: `${provider}:${base.model}:2`, provider, source: "manual" },
      evidence: { reason: "seeded" },
    };
    await store.savePendingPriceChange(change);
    out[provider] = change.id;
  }
  return out;
}

/** A threshold alert of a budget that `f`'s usage crosses: its id. */
async function thresholdAlert(f: Awaited<ReturnType<typeof createFixture>>): Promise<string> {
  await f.engine.upsertBudget({
    id: "tiny",
    scope: { component: "tiny" },
    limits: [{ id: "total", window: { type: "lifetime" }, tokens: 10, enforcement: "warn" }],
  });
  const result = await f.engine.record({
    dimensions: { component: "tiny", model: "test-model" },
    usage: { inputTokens: 100 },
  });
  const id = result.alerts[0]?.id;
  if (!id) throw new Error("the usage raised no alert");
  return id;
}

/** A JSON pointer segment (RFC 6901), URI-encoded. */
function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));
}

/** The first chunk of a stream that does not end, then the request is aborted. */
async function readFirst(res: Response, controller: AbortController): Promise<string> {
  const reader = res.body?.getReader();
  const first = await reader?.read();
  controller.abort();
  return new TextDecoder().decode(first?.value ?? new Uint8Array());
}
