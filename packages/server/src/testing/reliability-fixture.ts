import {
  type BudgetEngine,
  BudgetError,
  createBudgetEngine,
  createManualClock,
  type Store,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { type BudgetApp, createBudgetApp } from "../app/create-app.js";
import type { PriceUpdaterPort } from "../app/deps.js";
import type { Assistant } from "../assistant/create-assistant.js";
import { createAuth } from "../auth/auth.js";
import type { GatewayOptions } from "../gateway/mount-gateway.js";

/** One operation of the OpenAPI document, with what it says about who may call it. */
export interface DocumentedRoute {
  method: string;
  path: string;
  role: "public" | "gateway" | "reader" | "writer" | "admin";
  /** The roles allowed, where the document lists them (`x-budget-roles`: the gateway's routes). */
  roles: string[] | null;
  writerScope: string | null;
  hasBody: boolean;
  query: string[];
}

/** The identities of the auth matrix, in the order each route is tried. */
export const IDENTITIES = [
  "none",
  "bad",
  "revoked",
  "gateway",
  "reader",
  "writerOther",
  "writer",
  "admin",
] as const;
export type Identity = (typeof IDENTITIES)[number];

/** An updater that decides nothing: the price update/approve/reject routes exist with it. */
const idleUpdater: PriceUpdaterPort = {
  update: async () => ({
    runId: "upd_idle",
    startedAt: 0,
    finishedAt: 0,
    sources: [],
    applied: [],
    quarantined: [],
    rejected: [],
    removed: [],
    overridden: 0,
    unchanged: 0,
  }),
  approve: async (id) => {
    throw new BudgetError("not_found", `pending change ${id} not found`);
  },
  reject: async (id) => {
    throw new BudgetError("not_found", `pending change ${id} not found`);
  },
};

/**
 * A service on `store` with one of everything: keys for every identity (writer `a` limited to
 * component `a`, `writerOther` to `b`, a gateway key for project `p`), a run `r1` started by
 * writer `a` with its budget `run:r1`, an admin budget `team`, an active reservation of writer
 * `a`, and a spare key to revoke; with `gateway`, the gateway mounted too; `updater` replaces the
 * idle one; `assistant` makes the assistant over the fixture's engine.
 */
export async function createFixture(
  store: Store,
  options: {
    gateway?: GatewayOptions;
    updater?: PriceUpdaterPort;
    assistant?: (engine: BudgetEngine) => Assistant;
  } = {},
) {
  const engine = createBudgetEngine({
    store,
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-01T00:00:00Z"),
  });
  const auth = createAuth(store);
  const make = (name: string, role: "reader" | "writer" | "admin", components?: string[]) =>
    auth.createKey({ name, role, ...(components ? { components } : {}) });
  const admin = await make("admin", "admin");
  const writer = await make("writer-a", "writer", ["a"]);
  const writerOther = await make("writer-b", "writer", ["b"]);
  const reader = await make("reader", "reader");
  const gateway = await auth.createKey({ name: "gateway", role: "gateway", dimensions: { project: "p" } });
  const revoked = await make("revoked-admin", "admin");
  await auth.revokeKey(revoked.record.id);
  const spare = await make("spare", "reader");
  await engine.startRun(
    { id: "r1", name: "a's run" },
    { startedBy: { keyId: writer.record.id, components: ["a"] } },
  );
  await engine.upsertBudget({
    id: "run:r1",
    scope: { run: "r1" },
    limits: [{ id: "total", window: { type: "lifetime" }, tokens: 1_000_000 }],
  });
  await engine.upsertBudget({
    id: "team",
    limits: [{ id: "month", window: { type: "month" }, cost: "100", enforcement: "warn" }],
  });
  const r = await engine.reserve({
    dimensions: { component: "a", model: "test-model" },
    estimate: { inputTokens: 10 },
  });
  if (r.status !== "allowed") throw new Error("fixture reservation denied");
  const app: BudgetApp = createBudgetApp({
    engine,
    store,
    keys: auth,
    updater: options.updater ?? idleUpdater,
    ...(options.assistant ? { assistant: options.assistant(engine) } : {}),
    sseHeartbeatMs: 60_000,
    ...(options.gateway ? { gateway: options.gateway } : {}),
  });
  const secrets: Record<Identity, string | null> = {
    none: null,
    bad: "bgt_not_a_key_0000000000000000000000000000",
    revoked: revoked.key,
    gateway: gateway.key,
    reader: reader.key,
    writerOther: writerOther.key,
    writer: writer.key,
    admin: admin.key,
  };
  return { engine, auth, app, secrets, reservationId: r.reservationId, spareKeyId: spare.record.id };
}

export type Fixture = Awaited<ReturnType<typeof createFixture>>;

/** Every operation of the app's own OpenAPI document. */
export async function documentedRoutes(app: BudgetApp): Promise<DocumentedRoute[]> {
  const doc = (await (await app.fetch(new Request("http://x/v1/openapi.json"))).json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const out: DocumentedRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as { in: string; name: string }[];
      out.push({
        method: method.toUpperCase(),
        path,
        role: op["x-budget-role"] as DocumentedRoute["role"],
        roles: (op["x-budget-roles"] as string[] | undefined) ?? null,
        writerScope: (op["x-budget-writer-scope"] as string | undefined) ?? null,
        hasBody: op.requestBody !== undefined,
        query: params.filter((p) => p.in === "query").map((p) => p.name),
      });
    }
  return out;
}

/** The path with its parameters filled from the fixture (`{id}` of a budget is `run:r1`, …). */
export function concretePath(path: string, f: Fixture): string {
  const id = path.startsWith("/v1/budgets/")
    ? "run:r1"
    : path.startsWith("/v1/reservations/")
      ? f.reservationId
      : path.startsWith("/v1/runs/")
        ? "r1"
        : path.startsWith("/v1/keys/")
          ? f.spareKeyId
          : "none";
  return path.replace("{id}", encodeURIComponent(id)).replace("{limitId}", "total");
}

/** A body each route accepts from a caller allowed to use it (so a refusal can only be auth's). */
export function validBody(route: DocumentedRoute): unknown {
  const limits = [{ id: "total", window: { type: "lifetime" }, tokens: 500 }];
  const dims = { component: "a", model: "test-model" };
  const bodies: Record<string, unknown> = {
    "POST /v1/budgets": { id: "run:r1", scope: { run: "r1" }, limits },
    "PUT /v1/budgets/{id}": { scope: { run: "r1" }, limits },
    "PUT /v1/budgets/{id}/limits/{limitId}": { window: { type: "lifetime" }, tokens: 700 },
    "POST /v1/reservations": { dimensions: dims, estimate: { inputTokens: 5 } },
    "POST /v1/reservations/{id}/commit": { usage: { inputTokens: 5 } },
    "POST /v1/batch": {
      operations: [{ op: "reserve", request: { dimensions: dims, estimate: { inputTokens: 5 } } }],
    },
    "POST /v1/usage": { dimensions: dims, usage: { inputTokens: 5 } },
    "POST /v1/runs": { id: "r1", name: "again" },
    "POST /v1/runs/{id}/finish": { status: "completed" },
    "POST /v1/keys": { name: "new", role: "reader" },
    "POST /v1/estimate": { model: "test-model", usage: { inputTokens: 5 } },
    "POST /v1/assistant": { question: "What did we spend today?" },
    "POST /v1/recommendations/model": { current: { model: "test-model" }, usage: { inputTokens: 5 } },
    "POST /v1/prices/reprice": { from: 0, to: 1, target: { at: 0 } },
  };
  return bodies[`${route.method} ${route.path}`] ?? (route.hasBody ? {} : undefined);
}

/** A body each gateway endpoint budgets (or forwards) for a caller allowed to use it. */
export const GATEWAY_BODIES: Record<string, unknown> = {
  "chat/completions": { model: "test-model", messages: [{ role: "user", content: "hi" }], max_tokens: 10 },
  responses: { model: "test-model", input: "hi", max_output_tokens: 10 },
  embeddings: { model: "test-model", input: "hi" },
  messages: { model: "test-model", max_tokens: 10, messages: [{ role: "user", content: "hi" }] },
  "messages/count_tokens": { model: "test-model", messages: [{ role: "user", content: "hi" }] },
};

/** Sends one request to the app (loopback only: the app's own fetch handler). */
export async function send(
  app: BudgetApp,
  req: {
    method: string;
    path: string;
    secret?: string | null;
    body?: string;
    contentType?: string;
    headers?: Record<string, string>;
  },
): Promise<Response> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.secret) headers.authorization = `Bearer ${req.secret}`;
  if (req.body !== undefined) headers["content-type"] = req.contentType ?? "application/json";
  const res = await app.fetch(
    new Request(`http://127.0.0.1${req.path}`, {
      method: req.method,
      headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
    }),
  );
  return res;
}

/** Everything a request could change, as comparable text (JSON with bigints as strings). */
export async function snapshot(store: Store): Promise<string> {
  const [budgets, counters, events, keys, runs, alerts, reservation] = await Promise.all([
    store.listBudgets(),
    store.listCounters(),
    store.listEvents({ limit: 1000 }),
    store.listApiKeys(),
    store.listRuns({ limit: 1000 }),
    store.listAlerts({ limit: 1000 }),
    store.listExpiredReservations(Number.MAX_SAFE_INTEGER, 1000),
  ]);
  return JSON.stringify(
    { budgets, counters, events: events.events, keys, runs: runs.runs, alerts: alerts.alerts, reservation },
    (_k, v) => (typeof v === "bigint" ? v.toString() : v),
  );
}
