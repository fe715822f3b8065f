import { z } from "zod";
import type { GatewayApi } from "./gateway-config.js";

/** What went wrong, in the gateway's own terms; each dialect names it its provider's way. */
export type GatewayErrorKind =
  | "invalid_request"
  | "authentication"
  | "permission"
  | "not_found"
  | "payload_too_large"
  | "budget_exceeded"
  | "unknown_model"
  | "upstream_unavailable"
  | "budget_unavailable";

/** HTTP status of each kind. */
export const STATUS_BY_KIND: Record<GatewayErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  payload_too_large: 413,
  budget_exceeded: 429,
  unknown_model: 400,
  upstream_unavailable: 502,
  budget_unavailable: 503,
};

const OPENAI_TYPES: Record<GatewayErrorKind, [type: string, code: string | null]> = {
  invalid_request: ["invalid_request_error", null],
  authentication: ["invalid_request_error", "invalid_api_key"],
  permission: ["permission_error", "forbidden"],
  not_found: ["invalid_request_error", "not_found"],
  payload_too_large: ["invalid_request_error", "payload_too_large"],
  budget_exceeded: ["budget_exceeded", "budget_exceeded"],
  unknown_model: ["invalid_request_error", "unknown_model"],
  upstream_unavailable: ["api_error", "upstream_unavailable"],
  budget_unavailable: ["api_error", "budget_unavailable"],
};

const ANTHROPIC_TYPES: Record<GatewayErrorKind, string> = {
  invalid_request: "invalid_request_error",
  authentication: "authentication_error",
  permission: "permission_error",
  not_found: "not_found_error",
  payload_too_large: "request_too_large",
  budget_exceeded: "budget_exceeded",
  unknown_model: "invalid_request_error",
  upstream_unavailable: "api_error",
  budget_unavailable: "api_error",
};

/** Zod schema of {@link errorBody}'s shape for `api` (a denial adds `budget` to the error object). */
export function errorBodySchema(api: GatewayApi) {
  if (api === "anthropic")
    return z.strictObject({
      type: z.literal("error"),
      error: z.looseObject({ type: z.enum(Object.values(ANTHROPIC_TYPES)), message: z.string() }),
    });
  return z.strictObject({
    error: z.looseObject({
      message: z.string(),
      type: z.enum(Object.values(OPENAI_TYPES).map(([type]) => type)),
      param: z.null(),
      code: z.string().nullable(),
    }),
  });
}

/** The body of an error in the `api`'s own shape; `extra` (e.g. the `budget` of a denial) joins the error object. */
export function errorBody(
  api: GatewayApi,
  kind: GatewayErrorKind,
  message: string,
  extra: Record<string, unknown> = {},
): unknown {
  if (api === "anthropic")
    return { type: "error", error: { type: ANTHROPIC_TYPES[kind], message, ...extra } };
  const [type, code] = OPENAI_TYPES[kind];
  return { error: { message, type, param: null, code, ...extra } };
}

/**
 * An error response in the `api`'s dialect. `x-should-retry: false` tells the OpenAI and Anthropic
 * SDKs not to retry what cannot succeed by retrying (a denial, a bad request).
 */
export function errorResponse(
  api: GatewayApi,
  kind: GatewayErrorKind,
  message: string,
  options: { extra?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Response {
  const headers = new Headers(options.headers);
  headers.set("content-type", "application/json");
  if (kind !== "upstream_unavailable" && kind !== "budget_unavailable")
    headers.set("x-should-retry", "false");
  return new Response(JSON.stringify(errorBody(api, kind, message, options.extra)), {
    status: STATUS_BY_KIND[kind],
    headers,
  });
}
