import type { CallHold, ReportedUsage } from "@budget/calls";
import { promptSide, type UsageEstimate, withDefaultOutputCap, withOutputCap } from "@budget/calls/estimate";
import type { StreamUsage } from "@budget/calls/stream-usage";
import type { ApiKeyRecord } from "@budget/core";
import { isBudgetError, type Usage } from "@budget/core";
import type { Context } from "hono";
import { readBodyText } from "../app/read-body.js";
import { denialResponse, remainingHeadersOf } from "./budget-headers.js";
import { callerCandidates, callerDimensions } from "./caller-dimensions.js";
import { errorResponse } from "./dialect.js";
import type { BudgetedEndpoint, GatewayParams } from "./endpoints.js";
import { type EstimatedRequest, estimateRequest } from "./estimate-request.js";
import {
  callerResponseHeaders,
  callUpstream,
  isEventStream,
  passUpstreamError,
  readAll,
  searchOf,
  type UpstreamResponse,
} from "./forward.js";
import type { GatewayDeps } from "./gateway-deps.js";
import { type HoldOutcome, holdCall } from "./hold-call.js";
import { requestText } from "./request-text.js";
import { relaySse } from "./sse-relay.js";
import type { Upstream } from "./upstream.js";

/** One budgeted call as it goes through the gateway. */
interface Call {
  deps: GatewayDeps;
  upstream: Upstream;
  endpoint: BudgetedEndpoint;
  hold: CallHold;
  estimate: UsageEstimate;
}

/** Settles after the response is on its way: settlement never delays the caller. */
function settleLater(work: () => Promise<void>): void {
  setImmediate(() => void work());
}

/**
 * Commits the usage `read` returns (null: the estimate, tagged estimated); a usage that cannot be
 * read (inconsistent counts) commits the estimate tagged estimated and unverified, and goes to the
 * hold's `onSettleError`: never recorded as zero, never thrown at the caller.
 */
function commitReported(call: Call, read: () => ReportedUsage | null, estimate: () => Partial<Usage>) {
  let reported: ReportedUsage | null;
  try {
    reported = read();
  } catch (err) {
    return call.hold.commitUnreadable(err, estimate);
  }
  return call.hold.commit(reported, estimate);
}

/**
 * A budgeted call: parse and estimate the body, reserve on every matching budget (a denial is
 * answered in the provider's dialect), forward (the model rewritten to a soft limit's fallback,
 * the output cap lowered when clamped, usage asked for on streams), relay the answer, and commit
 * the usage it reports — or, when it reports none, an estimate of what was consumed.
 */
export async function budgetedCall(
  c: Context,
  deps: GatewayDeps,
  upstream: Upstream,
  endpoint: BudgetedEndpoint,
  key: ApiKeyRecord,
  path: string,
): Promise<Response> {
  const api = upstream.api;
  const refuse = (outcome: "invalid" | "forbidden", res: Response) => {
    deps.metrics.request(upstream.id, endpoint.operation, outcome);
    return res;
  };
  const body = await readBodyText(c, deps.bodyLimitBytes);
  if (!body.ok)
    return refuse(
      "invalid",
      errorResponse(api, "payload_too_large", `request body over ${deps.bodyLimitBytes} bytes`),
    );
  const req = await estimateRequest(deps, endpoint, upstream, body.text);
  if (!req.ok) return refuse("invalid", errorResponse(api, "invalid_request", req.message));
  let dimensions: ReturnType<typeof callerDimensions>;
  let candidates: string[];
  try {
    dimensions = callerDimensions(key, c.req.raw.headers);
    candidates = callerCandidates(key, c.req.raw.headers);
  } catch (err) {
    if (!isBudgetError(err)) throw err;
    return err.code === "forbidden"
      ? refuse("forbidden", errorResponse(api, "permission", err.message))
      : refuse("invalid", errorResponse(api, "invalid_request", err.message));
  }
  const call = { provider: upstream.provider, model: req.params.model, operation: endpoint.operation };
  const n = req.params.n;
  const choices = typeof n === "number" && Number.isInteger(n) && n > 1 ? n : 1;
  const held = await holdCall(deps, upstream, {
    call,
    dimensions,
    estimate: req.estimate.usage,
    choices,
    ...(candidates.length > 0 ? { candidates } : {}),
  });
  if (!held.ok) {
    deps.metrics.request(upstream.id, endpoint.operation, "denied");
    return denialResponse(api, held.error.denial);
  }
  const { hold } = held;
  const remaining = deps.remaining(held.budgetIds, dimensions).catch(() => null);
  const out = outgoing(deps, upstream, endpoint, req, held);
  const budgetHeaders = async () => {
    const left = await remaining;
    return {
      "x-budget-reservation-id": hold.reservationId,
      ...(hold.fellBack ? { "x-budget-fallback-model": hold.model } : {}),
      ...(held.clampedTo !== null ? { "x-budget-clamped-max-tokens": String(held.clampedTo) } : {}),
      ...(left ? remainingHeadersOf(left) : {}),
    };
  };
  const started = performance.now();
  let res: UpstreamResponse;
  try {
    res = await callUpstream({
      upstream,
      method: "POST",
      path,
      search: searchOf(c.req.url),
      headers: c.req.raw.headers,
      body: out.text,
      // A stream is cut when its caller goes away; a plain call runs to its end, to commit its real usage.
      signal: out.stream ? c.req.raw.signal : undefined,
    });
  } catch (err) {
    settleLater(() => hold.release());
    deps.metrics.request(upstream.id, endpoint.operation, "upstream_unavailable");
    deps.logger.warn(
      { upstream: upstream.id, err: (err as Error)?.message },
      "gateway: upstream unavailable",
    );
    return errorResponse(api, "upstream_unavailable", `upstream ${upstream.id} did not answer`);
  }
  deps.metrics.upstreamLatency(upstream.id, performance.now() - started);
  const self: Call = { deps, upstream, endpoint, hold, estimate: req.estimate };
  if (res.status < 200 || res.status >= 300) {
    // Refused by the provider: nothing billed.
    settleLater(() => hold.release());
    deps.metrics.request(upstream.id, endpoint.operation, "upstream_error");
    return passUpstreamError(res, upstream, await budgetHeaders());
  }
  deps.metrics.request(upstream.id, endpoint.operation, "ok");
  if (isEventStream(res)) {
    const usage =
      out.stream?.usage ?? endpoint.stream?.(out.params, req.estimate.counter, upstream.provider).usage;
    if (usage) return relayStream(self, res, usage, await budgetHeaders());
  }
  return relayBody(self, res, await budgetHeaders());
}

/**
 * The request as forwarded: the fallback model, the output cap it was reserved at (when absent)
 * or clamped to, usage asked for on a stream; the caller's bytes, with what was added spliced in
 * (see {@link requestText}).
 */
function outgoing(
  deps: GatewayDeps,
  upstream: Upstream,
  endpoint: BudgetedEndpoint,
  req: Extract<EstimatedRequest, { ok: true }>,
  held: Extract<HoldOutcome, { ok: true }>,
): { text: string; params: GatewayParams; stream: { usage: StreamUsage } | undefined } {
  let sent: GatewayParams = req.params;
  if (held.hold.fellBack) sent = { ...sent, model: held.hold.model };
  const capField = endpoint.operation === "chat.completions" ? upstream.chatCapField : endpoint.capField;
  if (capField) {
    sent = withDefaultOutputCap(sent, capField, {
      capOutput: deps.config.capOutput && req.valid,
      defaultMaxOutputTokens: deps.config.defaultMaxOutputTokens,
    });
    if (held.clampedTo !== null) sent = withOutputCap(sent, held.clampedTo, capField) as GatewayParams;
  }
  const stream =
    req.valid && sent.stream === true
      ? endpoint.stream?.(sent, req.estimate.counter, upstream.provider)
      : undefined;
  if (stream) sent = stream.params;
  return { text: requestText(req.text, req.params, sent), params: sent, stream };
}

/** A plain answer: read whole (its usage is in it), passed on as is, committed after. */
async function relayBody(
  call: Call,
  res: UpstreamResponse,
  extra: Record<string, string>,
): Promise<Response> {
  let bytes: Buffer;
  try {
    bytes = await readAll(res);
  } catch {
    // Cut midway: the provider took the request, so it is billed as estimated.
    settleLater(() => call.hold.commit(null, () => call.estimate.usage));
    return errorResponse(
      call.upstream.api,
      "upstream_unavailable",
      `upstream ${call.upstream.id} broke off its answer`,
    );
  }
  let body: unknown = null;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch {
    // Not JSON: no usage to read, so the estimate is committed (tagged estimated).
    body = null;
  }
  settleLater(() =>
    commitReported(
      call,
      () => (body === null ? null : call.endpoint.usageOf(body, call.upstream.provider)),
      () => call.estimate.usage,
    ),
  );
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: res.status,
    headers: callerResponseHeaders(res, extra),
  });
}

/**
 * An event stream, relayed event by event; however it ends — its final usage, the upstream
 * breaking off, the caller going away — the call is committed once: the reported usage, else the
 * prompt plus the output seen.
 */
function relayStream(
  call: Call,
  res: UpstreamResponse,
  usage: StreamUsage,
  extra: Record<string, string>,
): Response {
  // The usage is read once the stream has ended (its final event seen, or never sent).
  const settle = () =>
    settleLater(() =>
      commitReported(
        call,
        () => usage.usage(),
        () => usage.estimate(promptSide(call.estimate.usage)),
      ),
    );
  const body = relaySse(
    res.body,
    {
      observe(data) {
        try {
          return usage.observe(data);
        } catch {
          // Usage the adapter refuses (inconsistent counts): the event still passes.
          return true;
        }
      },
      ended: settle,
      failed(err) {
        call.deps.logger.warn(
          { upstream: call.upstream.id, err: (err as Error)?.message },
          "gateway: upstream stream broke off",
        );
        settle();
      },
      cancelled: settle,
    },
    { idleTimeoutMs: call.deps.config.streamIdleTimeoutMs },
  );
  return new Response(body, { status: res.status, headers: callerResponseHeaders(res, extra) });
}
