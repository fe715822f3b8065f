import type { ApiKeyRecord } from "@budget/core";
import { isBudgetError } from "@budget/core";
import type { Context } from "hono";
import { STATUS_BY_CODE } from "../app/problem.js";
import { readBodyText } from "../app/read-body.js";
import { budgetedCall } from "./budgeted-call.js";
import { type CallerHeaders, callerHeaders } from "./caller-headers.js";
import { errorResponse } from "./dialect.js";
import { endpointFor, type FreeEndpoint } from "./endpoints.js";
import { callerResponseHeaders, callUpstream, passUpstreamError, readAll, searchOf } from "./forward.js";
import type { GatewayApi } from "./gateway-config.js";
import type { GatewayDeps } from "./gateway-deps.js";
import type { Upstream } from "./upstream.js";

/** The path prefix of the gateway: `/gateway/<upstream>/v1/<endpoint>`. */
export const GATEWAY_PREFIX = "/gateway";

/** Roles that may call through the gateway. */
export const GATEWAY_ROLES: ReadonlySet<string> = new Set(["gateway", "writer", "admin"]);

/** The Budget key a caller presents, as each SDK sends its provider key: `Authorization: Bearer` or `x-api-key`. */
function presentedKey(headers: CallerHeaders): string | null {
  // The scheme in any case (RFC 9110), as on every other route.
  const bearer = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.get("authorization") ?? "")?.[1];
  return bearer ?? headers.get("x-api-key") ?? null;
}

async function authenticate(
  c: Context,
  deps: GatewayDeps,
  api: GatewayApi,
): Promise<{ ok: true; key: ApiKeyRecord } | { ok: false; res: Response }> {
  const key = await deps.auth.authenticate(presentedKey(callerHeaders(c)));
  if (!key)
    return {
      ok: false,
      res: errorResponse(
        api,
        "authentication",
        "a valid Budget API key is required (the gateway's, not the provider's)",
        {
          headers: { "www-authenticate": 'Bearer realm="budget-gateway"' },
        },
      ),
    };
  if (!GATEWAY_ROLES.has(key.role))
    return {
      ok: false,
      res: errorResponse(
        api,
        "permission",
        `the gateway needs a gateway, writer or admin key; this key is ${key.role}`,
      ),
    };
  return { ok: true, key };
}

/** A free endpoint (model lists, token counts): forwarded as is, nothing reserved. */
async function freeCall(c: Context, deps: GatewayDeps, upstream: Upstream, path: string): Promise<Response> {
  let body: string | null = null;
  if (c.req.method !== "GET") {
    const read = await readBodyText(c, deps.bodyLimitBytes);
    if (!read.ok)
      return errorResponse(
        upstream.api,
        "payload_too_large",
        `request body over ${deps.bodyLimitBytes} bytes`,
      );
    body = read.text;
  }
  try {
    const res = await callUpstream({
      upstream,
      method: c.req.method,
      path,
      search: searchOf(c.req.url),
      headers: callerHeaders(c),
      body,
    });
    if (res.status < 200 || res.status >= 300) return passUpstreamError(res, upstream, {});
    return new Response((await readAll(res)) as Uint8Array<ArrayBuffer>, {
      status: res.status,
      headers: callerResponseHeaders(res, {}),
    });
  } catch (err) {
    deps.logger.warn(
      { upstream: upstream.id, err: (err as Error)?.message },
      "gateway: upstream unavailable",
    );
    return errorResponse(upstream.api, "upstream_unavailable", `upstream ${upstream.id} did not answer`);
  }
}

/**
 * The gateway's request handler, for `/gateway/:upstream/v1/*`: authenticates the Budget key,
 * finds the upstream and the endpoint, and budgets the call (or forwards a free one). Every error
 * is in the upstream's dialect, so SDKs raise their usual exceptions.
 */
export function createGatewayHandler(deps: GatewayDeps) {
  return async (c: Context): Promise<Response> => {
    const id = c.req.param("upstream") ?? "";
    const upstream = deps.upstreams.get(id);
    if (!upstream)
      return errorResponse(
        "openai",
        "not_found",
        `no gateway upstream "${id}"; configured: ${[...deps.upstreams.keys()].join(", ") || "(none)"}`,
      );
    const path = c.req.path.slice(`${GATEWAY_PREFIX}/${id}/v1/`.length);
    const auth = await authenticate(c, deps, upstream.api);
    if (!auth.ok) {
      deps.metrics.request(upstream.id, path, "unauthorized");
      return auth.res;
    }
    const endpoint = endpointFor(upstream.api, c.req.method, path);
    if (!endpoint) {
      deps.metrics.request(upstream.id, "unknown", "not_found");
      return errorResponse(
        upstream.api,
        "not_found",
        `the gateway does not forward ${c.req.method} /v1/${path}: only endpoints it can budget, or free ones`,
      );
    }
    if (endpoint.kind === "free") {
      deps.metrics.request(upstream.id, (endpoint as FreeEndpoint).operation, "ok");
      return freeCall(c, deps, upstream, path);
    }
    try {
      return await budgetedCall(c, deps, upstream, endpoint, auth.key, path);
    } catch (err) {
      // The caller's own mistake (an estimate past the amount bounds, say): a 4xx, not an outage.
      if (isBudgetError(err) && (STATUS_BY_CODE[err.code] ?? 500) < 500) {
        deps.metrics.request(upstream.id, endpoint.operation, "invalid");
        return errorResponse(upstream.api, "invalid_request", err.message);
      }
      // The budget could not be checked (the store is down, say): never forward unbudgeted.
      deps.metrics.request(upstream.id, endpoint.operation, "budget_unavailable");
      deps.logger.error({ upstream: upstream.id, err: (err as Error)?.message }, "gateway: budgeting failed");
      return errorResponse(
        upstream.api,
        "budget_unavailable",
        "the budget service could not check this call; it was not forwarded",
      );
    }
  };
}
