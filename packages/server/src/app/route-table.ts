import type { ApiKeyRecord, BudgetErrorCode, Role } from "@budget/core";
import { isBudgetError, problemWireSchema } from "@budget/core";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Logger } from "pino";
import type { z } from "zod";
import { type Auth, roleAllows } from "../auth/auth.js";
import type { Metrics } from "../metrics/metrics.js";
import {
  errorToProblem,
  type InputIssue,
  invalidInputProblem,
  problemResponse,
  STATUS_BY_CODE,
  zodProblem,
} from "./problem.js";
import { readBodyText } from "./read-body.js";
import { requestIdOf, withRequestId } from "./request-id.js";

type Method = "get" | "post" | "put" | "delete";

/** What a handler receives: the validated inputs and the caller's key. */
export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Null only on public routes. */
  key: ApiKeyRecord | null;
  c: Context;
}

/**
 * One route: its documentation and its handler in one place, so the OpenAPI document is generated
 * from exactly the routes that run. Inputs are validated with the given zod schemas (the core's
 * request schemas, reused) before the handler sees them.
 */
export interface RouteDef<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
  C extends BodyCheck = BodyCheck,
> {
  method: Method;
  /** OpenAPI-style path: `/v1/budgets/{id}`. */
  path: string;
  /** The least role allowed, or `public`. */
  role: Role | "public";
  /**
   * What a writer must own beyond its role (documented as `x-budget-writer-scope`): `dimensions`
   * — the request's component/project is among the key's; `reservation` — the reservation was
   * made for them; `run` — the run (of the budget) was started with this key.
   */
  writerScope?: WriterScope;
  summary: string;
  tag: string;
  body?: B;
  /**
   * Who validates `body` (default `route`). `engine`: the handler hands the body to an engine
   * method that validates it with this same schema, so the route only parses the JSON (each body
   * is validated once), and the engine's `invalid_input` is answered as the route's own would be
   * (paths under `body.`). The handler then gets the body as sent, unchecked.
   */
  bodyCheck?: C;
  query?: Q;
  params?: P;
  /** The success response: its body's zod schema (JSON), or its media types with theirs. */
  response: RouteResponse;
  /**
   * The codes the handler may answer with besides those every route may (`invalid_input`,
   * `internal`; with a key `unauthorized`, `forbidden`, `store_unavailable`; with a body
   * `payload_too_large`, `unsupported_media_type`): each documented under its status.
   */
  errors?: BudgetErrorCode[];
  handler: (
    input: RouteInput<C extends "engine" ? z.input<B> : z.output<B>, z.output<Q>, z.output<P>>,
  ) => Promise<Response> | Response;
}

/** See {@link RouteDef.response}. */
export type RouteResponse = {
  /** Default 200. */
  status?: number;
  /** Other statuses answered with the same body (a duplicate record is 200, a new one 201). */
  alsoStatus?: number[];
  description: string;
} & (
  | { schema: z.ZodType; media?: Record<string, z.ZodType> }
  /** Media type → body schema (`z.string()` for text): a stream, CSV, or JSON chosen by `format`. */
  | { media: Record<string, z.ZodType> }
);

/** See {@link RouteDef.writerScope}. */
export type WriterScope = "dimensions" | "reservation" | "run";

/** Who validates a route's body: see {@link RouteDef.bodyCheck}. */
export type BodyCheck = "route" | "engine";

/** Defines a route with its types inferred from the schemas. */
export function defineRoute<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
  C extends BodyCheck = "route",
>(def: RouteDef<B, Q, P, C>): RouteDef {
  return def as unknown as RouteDef;
}

/** The one route that takes a key in the query (`?api_key=`): EventSource cannot set headers. */
const QUERY_KEY_ROUTE = "GET /v1/events";

/**
 * The secret a request presents in its headers: `Authorization: Bearer …` (the scheme in any
 * case, RFC 9110) or `X-Api-Key`. `query` is the `api_key` query parameter, looked at only on
 * {@link QUERY_KEY_ROUTE}.
 */
function presentedKey(c: Context, route: RouteDef): { secret: string | null; fromQuery: boolean } {
  const header = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const secret = header ?? c.req.header("x-api-key") ?? null;
  if (secret !== null || `${route.method.toUpperCase()} ${route.path}` !== QUERY_KEY_ROUTE)
    return { secret, fromQuery: false };
  return { secret: c.req.query("api_key") ?? null, fromQuery: true };
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/**
 * A state-changing request must say its body is JSON: a form or `text/plain` body (what a
 * cross-site page can send without a preflight) is `415`. A request without a body and without a
 * content type (a bare `POST …/release`) passes.
 */
function unsupportedMedia(c: Context, method: Method): Response | null {
  if (method === "get") return null;
  const type = c.req.header("content-type");
  const length = c.req.header("content-length");
  const onNode = (c.env as { incoming?: unknown } | undefined)?.incoming !== undefined;
  // On Node the headers tell (reading `raw.body` there would turn the message into a web stream).
  const hasBody = onNode
    ? (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined
    : c.req.raw.body !== null;
  if (type === undefined ? !hasBody : JSON_MEDIA.test(type)) return null;
  return problemResponse({
    status: 415,
    code: "unsupported_media_type",
    detail: "request bodies must be JSON (Content-Type: application/json)",
  });
}

async function readJson(
  c: Context,
  maxBytes: number,
): Promise<{ ok: true; value: unknown } | { ok: false; res: Response }> {
  const body = await readBodyText(c, maxBytes);
  if (!body.ok) return body;
  if (body.text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.text) };
  } catch {
    return {
      ok: false,
      res: problemResponse({ status: 400, code: "invalid_input", detail: "body is not valid JSON" }),
    };
  }
}

/** Dependencies of {@link mountRoutes}. */
export interface MountOptions {
  auth: Auth;
  metrics: Metrics;
  /** Routes open without a key (e.g. `/metrics` when configured public). */
  publicPaths?: ReadonlySet<string>;
  /** Request bodies above this are refused with 413. */
  bodyLimitBytes: number;
  /** Where every 5xx is logged, with its request id (never the body or the key). */
  logger: Logger;
}

/** Registers every route on `app`: its OpenAPI description, and auth + validation + metrics around its handler. */
export function mountRoutes(app: OpenAPIHono, routes: RouteDef[], options: MountOptions): void {
  for (const route of routes) {
    registerDoc(app, route);
    const honoPath = route.path.replace(/\{(\w+)\}/g, ":$1");
    const isPublic = route.role === "public" || options.publicPaths?.has(route.path) === true;
    const declared = declaredQuery(route);
    app.on(route.method.toUpperCase(), honoPath, async (c) => {
      const started = performance.now();
      const requestId = requestIdOf(c);
      let res: Response;
      let failure: unknown;
      try {
        res = await run(route, c, { isPublic, declared }, options);
      } catch (err) {
        failure = err;
        res = errorToProblem(err, requestId);
      }
      options.metrics.observeRequest(route.method, route.path, res.status, performance.now() - started);
      if (res.status >= 500)
        options.logger.error(
          {
            requestId,
            method: route.method.toUpperCase(),
            route: route.path,
            status: res.status,
            err: failure,
          },
          "request failed",
        );
      return withRequestId(res, requestId);
    });
  }
  mountMethodNotAllowed(app, routes);
}

/**
 * A known path asked with a method it does not have (PATCH, OPTIONS, a GET of a POST route) is
 * `405` with `Allow` naming the methods it has. Registered after the routes, so it only sees what
 * none of them answered; paths no route has fall through (to the dashboard, or `404`).
 */
function mountMethodNotAllowed(app: OpenAPIHono, routes: readonly RouteDef[]): void {
  const patterns = new Map<string, { regex: RegExp; methods: Set<string> }>();
  for (const r of routes) {
    const source = `^${r.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}/?$`;
    const entry = patterns.get(r.path) ?? { regex: new RegExp(source), methods: new Set<string>() };
    entry.methods.add(r.method.toUpperCase());
    if (r.method === "get") entry.methods.add("HEAD");
    patterns.set(r.path, entry);
  }
  // Paths under no route's first segment (the gateway's, the dashboard's) skip the pattern scan.
  const roots = new Set(routes.map((r) => firstSegment(r.path)));
  app.all("*", async (c, next) => {
    if (!roots.has(firstSegment(c.req.path))) return next();
    const allow = new Set<string>();
    for (const p of patterns.values()) if (p.regex.test(c.req.path)) for (const m of p.methods) allow.add(m);
    if (allow.size === 0 || allow.has(c.req.method)) return next();
    const list = [...allow].sort().join(", ");
    return problemResponse({
      status: 405,
      code: "method_not_allowed",
      detail: `${c.req.method} is not allowed here; allowed: ${list}`,
      headers: { allow: list },
    });
  });
}

/** `v1` of `/v1/budgets`, `healthz` of `/healthz`. */
function firstSegment(path: string): string {
  const end = path.indexOf("/", 1);
  return end < 0 ? path.slice(1) : path.slice(1, end);
}

/** The query parameters a route declares (null: it takes any, its schema is not a plain object). */
function declaredQuery(route: RouteDef): ReadonlySet<string> | null {
  if (!route.query) return new Set();
  const shape = (route.query as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? new Set(Object.keys(shape)) : null;
}

/** A 400 naming every query parameter the route does not declare (`?componnt=` is not a filter). */
function unknownQuery(c: Context, declared: ReadonlySet<string> | null): Response | null {
  if (declared === null || !c.req.url.includes("?")) return null;
  const unknown = [...new Set(new URL(c.req.url).searchParams.keys())].filter((k) => !declared.has(k));
  if (unknown.length === 0) return null;
  return invalidInputProblem(
    unknown.map((k) => ({
      path: k,
      message: `unknown query parameter${declared.size ? ` (known: ${[...declared].join(", ")})` : ""}`,
    })),
    "query",
  );
}

async function run(
  route: RouteDef,
  c: Context,
  mounted: { isPublic: boolean; declared: ReadonlySet<string> | null },
  options: MountOptions,
): Promise<Response> {
  const { isPublic } = mounted;
  let key: ApiKeyRecord | null = null;
  if (!isPublic) {
    const presented = presentedKey(c, route);
    key = await options.auth.authenticate(presented.secret);
    if (key && presented.fromQuery && key.role !== "reader") key = null;
    if (!key)
      return problemResponse({
        status: 401,
        code: "unauthorized",
        detail: presented.fromQuery
          ? "?api_key= takes only a valid reader key; send other keys as Authorization: Bearer bgt_…"
          : "a valid API key is required (Authorization: Bearer bgt_…)",
        headers: { "www-authenticate": 'Bearer realm="budget"' },
      });
    if (route.role !== "public" && !roleAllows(key.role, route.role))
      return problemResponse({
        status: 403,
        code: "forbidden",
        detail: `this route needs the ${route.role} role; the key is ${key.role}`,
      });
  }
  const media = unsupportedMedia(c, route.method);
  if (media) return media;
  const unknown = unknownQuery(c, mounted.declared);
  if (unknown) return unknown;
  const params = route.params ? route.params.safeParse(c.req.param()) : null;
  if (params && !params.success) return zodProblem(params.error, "params");
  const query = route.query ? route.query.safeParse(c.req.query()) : null;
  if (query && !query.success) return zodProblem(query.error, "query");
  let body: unknown;
  if (route.body) {
    const json = await readJson(c, options.bodyLimitBytes);
    if (!json.ok) return json.res;
    if (route.bodyCheck === "engine") body = json.value ?? {};
    else {
      const parsed = route.body.safeParse(json.value ?? {});
      if (!parsed.success) return zodProblem(parsed.error, "body");
      body = parsed.data;
    }
  }
  const input = { body, query: query?.data, params: params?.data, key, c };
  if (route.bodyCheck !== "engine") return route.handler(input);
  try {
    return await route.handler(input);
  } catch (err) {
    const issues = invalidBody(err);
    if (issues) return invalidInputProblem(issues, "body");
    throw err;
  }
}

/** The offending fields of a body the engine refused (a `validate` failure), or null. */
function invalidBody(err: unknown): InputIssue[] | null {
  if (!isBudgetError(err, "invalid_input")) return null;
  const issues = err.details.issues;
  return Array.isArray(issues) ? (issues as InputIssue[]) : null;
}

/** The problem statuses of a route and the codes each may carry (see {@link RouteDef.errors}). */
function routeErrors(route: RouteDef): Map<number, BudgetErrorCode[]> {
  const codes: BudgetErrorCode[] = ["invalid_input", "internal", ...(route.errors ?? [])];
  if (route.role !== "public") codes.push("unauthorized", "forbidden", "store_unavailable");
  if (route.method !== "get") codes.push("payload_too_large", "unsupported_media_type");
  const byStatus = new Map<number, BudgetErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = STATUS_BY_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function registerDoc(app: OpenAPIHono, route: RouteDef): void {
  const { response } = route;
  const content = {
    ...("schema" in response ? { "application/json": { schema: response.schema } } : {}),
    ...Object.fromEntries(Object.entries(response.media ?? {}).map(([type, schema]) => [type, { schema }])),
  };
  const ok = { description: response.description, content };
  const responses: Record<string, unknown> = { [response.status ?? 200]: ok };
  for (const status of response.alsoStatus ?? []) responses[status] = ok;
  for (const [status, codes] of routeErrors(route))
    responses[status] = {
      description: `Problem (code ${codes.map((c) => `\`${c}\``).join(", ")})`,
      content: {
        "application/problem+json": { schema: problemWireSchema(codes as [BudgetErrorCode]) },
      },
    };
  app.openAPIRegistry.registerPath({
    method: route.method,
    path: route.path,
    summary: route.summary,
    tags: [route.tag],
    "x-budget-role": route.role,
    ...(route.writerScope ? { "x-budget-writer-scope": route.writerScope } : {}),
    ...(route.role === "public" ? { security: [] } : {}),
    request: {
      ...(route.params ? { params: route.params as z.ZodObject } : {}),
      ...(route.query ? { query: route.query as z.ZodObject } : {}),
      ...(route.body
        ? { body: { content: { "application/json": { schema: route.body } }, required: true } }
        : {}),
    },
    responses: responses as never,
  });
}
