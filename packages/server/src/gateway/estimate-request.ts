import { tokenCounterFor, type UsageEstimate } from "@budget/calls/estimate";
import type { BudgetedEndpoint, GatewayParams } from "./endpoints.js";
import type { GatewayDeps } from "./gateway-deps.js";
import type { Upstream } from "./upstream.js";

/** A request body, parsed and estimated; `valid` false when only the `unparseable: forward` policy let it through. */
export type EstimatedRequest =
  | { ok: true; params: GatewayParams; estimate: UsageEstimate; valid: boolean; text: string }
  | { ok: false; message: string };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Parses and estimates a budgeted request. One the endpoint cannot estimate is refused, unless
 * the policy is `forward`: then it is reserved at the default output cap on both sides (never
 * unbudgeted), under its `model` if it names one.
 */
export async function estimateRequest(
  deps: GatewayDeps,
  endpoint: BudgetedEndpoint,
  upstream: Upstream,
  text: string,
): Promise<EstimatedRequest> {
  const raw = parseJson(text);
  const parsed = endpoint.schema.safeParse(raw);
  const options = {
    defaultMaxOutputTokens: deps.config.defaultMaxOutputTokens,
    tokenizer: upstream.tokenizer,
  };
  let message = "the body is not valid JSON";
  if (parsed.success) {
    const estimate = await endpoint.estimate(parsed.data, options).catch(() => null);
    if (estimate) return { ok: true, params: parsed.data, estimate, valid: true, text };
    message = `cannot estimate this ${endpoint.operation} request`;
  } else if (raw !== undefined) {
    const issue = parsed.error.issues[0];
    message = `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`;
  }
  if (deps.config.unparseable === "reject") return { ok: false, message };
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const model = typeof record.model === "string" ? record.model : "unknown";
  const n = deps.config.defaultMaxOutputTokens;
  const counter = await tokenCounterFor(model);
  return {
    ok: true,
    params: { ...record, model },
    estimate: { usage: { inputTokens: n, outputTokens: n }, method: counter.method, counter },
    valid: false,
    text,
  };
}
