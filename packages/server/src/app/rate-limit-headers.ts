import type { Denial, Window } from "@budget/core";

const AMOUNTS = [
  ["tokens", "tokens", "tokens"],
  ["costNanoUsd", "cost", "nano-usd"],
  ["requests", "requests", "requests"],
  ["concurrency", "concurrency", "concurrent-requests"],
] as const;

/** A structured-field string (RFC 8941): quoted, with `\` and `"` escaped. */
const sfString = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** The window's length in seconds for `w` (null for lifetime windows). */
function windowSeconds(window: Window | null, windowStart: number | null, resetsAt: number | null) {
  if (window?.type === "rolling") return window.minutes * 60;
  if (!window || window.type === "lifetime" || windowStart === null || resetsAt === null) return null;
  return Math.round((resetsAt - windowStart) / 1000);
}

/**
 * `Retry-After` (seconds, rounded up) when waiting can help, and the IETF `RateLimit-Policy` and
 * `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers): one item per amount of the blocking
 * limit, `"<budget>/<limit>/<amount>"`, with its quota `q` (cost in nano-USD), window `w`, what
 * remains `r` and the seconds until a retry may fit `t`. Empty for a denial without a limit.
 */
export function denialRateLimitHeaders(denial: Denial): Record<string, string> {
  const h: Record<string, string> = {};
  const retrySeconds =
    denial.retryAfterMs === null ? null : Math.max(1, Math.ceil(denial.retryAfterMs / 1000));
  if (retrySeconds !== null) h["retry-after"] = String(retrySeconds);
  if (!denial.limit || !denial.budgetId || !denial.limitId) return h;
  const w = windowSeconds(denial.window, denial.windowStart, denial.resetsAt);
  const policies: string[] = [];
  const states: string[] = [];
  for (const [field, name, unit] of AMOUNTS) {
    const q = denial.limit[field];
    if (q === undefined) continue;
    const id = sfString(`${denial.budgetId}/${denial.limitId}/${name}`);
    const windowed = field !== "concurrency" && w !== null ? `;w=${w}` : "";
    policies.push(`${id};q=${q};qu=${sfString(unit)}${windowed}`);
    const r = denial.remaining?.[field] ?? 0;
    states.push(`${id};r=${r}${retrySeconds !== null ? `;t=${retrySeconds}` : ""}`);
  }
  if (policies.length > 0) {
    h["ratelimit-policy"] = policies.join(", ");
    h.ratelimit = states.join(", ");
  }
  return h;
}
