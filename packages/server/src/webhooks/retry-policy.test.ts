import { describe, expect, it } from "vitest";
import { classifyStatus, parseRetryAfterMs, retryDelayMs } from "./retry-policy.js";

describe("retry policy", () => {
  it("retries 5xx, 408 and 429; refuses other 3xx/4xx; delivers 2xx", () => {
    expect(classifyStatus(204, null).kind).toBe("delivered");
    for (const s of [500, 502, 503, 408, 429]) expect(classifyStatus(s, null).kind).toBe("retry");
    for (const s of [301, 400, 401, 404, 410, 422]) expect(classifyStatus(s, null).kind).toBe("rejected");
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfterMs("7", now)).toBe(7000);
    expect(parseRetryAfterMs("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfterMs("Tue, 31 Dec 2024 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs("soon", now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });

  it("doubles with equal jitter, caps, and honours Retry-After up to the cap", () => {
    const o = (r: number) => ({ backoffMs: 1000, maxBackoffMs: 60_000, random: () => r });
    expect(retryDelayMs(1, null, o(0))).toBe(500);
    expect(retryDelayMs(1, null, o(0.999))).toBeCloseTo(999.5, 0);
    expect(retryDelayMs(3, null, o(0))).toBe(2000);
    expect(retryDelayMs(20, null, o(0.999))).toBeLessThanOrEqual(60_000);
    expect(retryDelayMs(1, 5000, o(0))).toBe(5000);
    expect(retryDelayMs(1, 3_600_000, o(0))).toBe(60_000);
  });
});
