import { BudgetError } from "../errors/budget-error.js";
import type { Denial, ReserveResult } from "./requests.js";
import type { WaitQueue } from "./wait-queue.js";

/** Priority ranks: waiters of a higher rank go first. */
export const PRIORITY_RANK = { low: 0, normal: 1, high: 2, critical: 3 } as const;

/** How an engine lets reservations wait (see `BudgetEngineOptions`). */
export interface WaitSettings {
  queue: WaitQueue;
  maxWaitMs: number;
  pollMs: number;
}

/** Throws `invalid_input` naming `waitMs` when it passes the engine's maximum. */
export function assertWaitWithin(settings: WaitSettings, waitMs: number | undefined): void {
  if (waitMs === undefined || waitMs <= settings.maxWaitMs) return;
  const message = `must be at most ${settings.maxWaitMs} ms (the engine's maxWaitMs)`;
  throw new BudgetError("invalid_input", `reserve.waitMs: ${message}`, {
    issues: [{ path: "waitMs", message }],
  });
}

/** Whether capacity may still come for a denial: not for an unknown model or a request larger than the limit. */
function waitable(d: Denial): boolean {
  const { limit, requested: r } = d;
  if (d.reason !== "limit_exceeded" || !limit) return false;
  if (limit.tokens !== undefined && r.tokens > limit.tokens) return false;
  if (limit.costNanoUsd !== undefined && r.costNanoUsd > limit.costNanoUsd) return false;
  return limit.requests === undefined || r.requests <= limit.requests;
}

/**
 * Reserve, waiting up to `waitMs` for capacity: a denied reservation queues on its blocking limit
 * and partition (priority, then arrival) and only the head retries — when this engine frees a hold
 * there, when a rolling window's `retryAfterMs` passes, or every `pollMs` (other instances). Every
 * retry is the ordinary atomic reserve: nothing is locked while waiting. A timeout, a full queue or
 * an aborted `signal` answers the last denial.
 */
export async function reserveWaiting(input: {
  settings: WaitSettings;
  waitMs: number | undefined;
  priority: keyof typeof PRIORITY_RANK;
  signal: AbortSignal | undefined;
  once: () => Promise<ReserveResult>;
}): Promise<ReserveResult> {
  const { settings, waitMs, signal, once } = input;
  const ticket = waitMs ? settings.queue.ticket() : 0;
  let result = await once();
  if (result.status === "allowed" || !waitMs || signal?.aborted || !waitable(result.denial)) return result;
  const { queue } = settings;
  const w = queue.join(PRIORITY_RANK[input.priority], ticket);
  if (!w) return result;
  let expired = false;
  const deadline = setTimeout(() => {
    expired = true;
    w.woken = true;
    w.resolve?.();
  }, waitMs);
  try {
    while (result.status === "denied" && waitable(result.denial)) {
      const d = result.denial;
      queue.place(w, `${d.budgetId}|${d.limitId}|${d.partition}`);
      for (;;) {
        const head = queue.isHead(w);
        await queue.sleep(
          w,
          head ? Math.min(settings.pollMs, d.retryAfterMs ?? settings.pollMs) : null,
          signal,
        );
        if (expired || signal?.aborted) return result;
        if (queue.isHead(w)) break;
        w.woken = false;
      }
      w.woken = false;
      result = await once();
    }
    return result;
  } finally {
    clearTimeout(deadline);
    queue.leave(w);
  }
}
