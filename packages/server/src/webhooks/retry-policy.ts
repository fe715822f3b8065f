/** What one delivery attempt came to. */
export type AttemptResult =
  | { kind: "delivered"; status: number }
  /** Worth another try: a network error, a timeout, 5xx, 408 or 429. */
  | { kind: "retry"; status: number | null; error: string | null; retryAfterMs: number | null }
  /** The receiver refused it (other 3xx/4xx): trying again would not help. */
  | { kind: "rejected"; status: number };

/** Classifies a receiver's status code. */
export function classifyStatus(status: number, retryAfterMs: number | null): AttemptResult {
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status >= 500 || status === 429 || status === 408) {
    return { kind: "retry", status, error: null, retryAfterMs };
  }
  return { kind: "rejected", status };
}

/** A `Retry-After` header (seconds or an HTTP date) in ms from `now`; null when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Options of {@link retryDelayMs}. */
export interface BackoffOptions {
  /** The first retry's base delay. */
  backoffMs: number;
  /** No delay grows past this (a `Retry-After` is capped by it too). */
  maxBackoffMs: number;
  /** A number in [0, 1). */
  random: () => number;
}

/**
 * The wait before retry number `retry` (1-based): exponential with "equal jitter" (half fixed, half
 * random, so a fleet of retries spreads out), and never sooner than the receiver's `Retry-After`.
 */
export function retryDelayMs(retry: number, retryAfterMs: number | null, o: BackoffOptions): number {
  const exp = Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (retry - 1));
  const jittered = exp / 2 + o.random() * (exp / 2);
  return Math.min(o.maxBackoffMs, Math.max(jittered, retryAfterMs ?? 0));
}
