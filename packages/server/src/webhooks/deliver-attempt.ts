import { type AttemptResult, classifyStatus, parseRetryAfterMs } from "./retry-policy.js";
import { signWebhookBody } from "./webhook-signature.js";

/** One POST of one event to one webhook. */
export interface AttemptInput {
  fetch: typeof globalThis.fetch;
  url: string;
  secret: string | undefined;
  /** Extra headers of the webhook (its credentials). */
  headers?: Readonly<Record<string, string>>;
  /** The event type, sent as `x-budget-event`. */
  type: string;
  /** Stable across retries, sent as `x-budget-delivery`. */
  deliveryId: string;
  attempt: number;
  body: string;
  timeoutMs: number;
  /** Aborts the attempt when the dispatcher stops past its deadline. */
  signal: AbortSignal;
  now: number;
}

/** Posts the body once: never throws, every failure is an {@link AttemptResult}. */
export async function deliverAttempt(input: AttemptInput): Promise<AttemptResult> {
  const headers: Record<string, string> = {
    ...input.headers,
    "content-type": "application/json",
    "user-agent": "budget-webhooks/1",
    "x-budget-event": input.type,
    "x-budget-delivery": input.deliveryId,
    "x-budget-attempt": String(input.attempt),
  };
  if (input.secret) headers["x-budget-signature"] = signWebhookBody(input.secret, input.body);
  const signal = AbortSignal.any([AbortSignal.timeout(input.timeoutMs), input.signal]);
  try {
    // Redirects are not followed: a signed body goes only to the configured URL.
    const res = await input.fetch(input.url, {
      method: "POST",
      headers,
      body: input.body,
      signal,
      redirect: "manual",
    });
    // Reading the (ignored) body frees the connection for the next delivery.
    await res.arrayBuffer().catch(() => undefined);
    return classifyStatus(res.status, parseRetryAfterMs(res.headers.get("retry-after"), input.now));
  } catch (err) {
    const timedOut = !input.signal.aborted && err instanceof Error && err.name === "TimeoutError";
    const error = timedOut ? `timed out after ${input.timeoutMs} ms` : errorText(err);
    return { kind: "retry", status: null, error, retryAfterMs: null };
  }
}

function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici hides the socket error (ECONNREFUSED, …) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return `${err.message}${cause}`;
}
