import { formatUsd } from "../money/nano-usd.js";
import type { Alert, Amounts } from "../ports/store.js";
import { rollingBucketMs } from "../window/window-bounds.js";
import { boundsAt, type CompiledBudget, type CompiledLimit, capOf } from "./compiled-budget.js";
import type { EngineContext } from "./context.js";
import type { Priced } from "./pricing.js";
import type { Denial, LimitAmounts, ReserveResult } from "./requests.js";

/** What is left under `cap` given `current` (never negative; absent fields unlimited). */
export function remainingOf(cap: LimitAmounts, current: Amounts): LimitAmounts {
  const out: LimitAmounts = {};
  if (cap.tokens !== undefined) out.tokens = Math.max(0, cap.tokens - current.tokens);
  if (cap.costNanoUsd !== undefined) {
    const left = cap.costNanoUsd - current.costNanoUsd;
    out.costNanoUsd = left > 0n ? left : 0n;
  }
  if (cap.requests !== undefined) out.requests = Math.max(0, cap.requests - current.requests);
  return out;
}

/** When the limit's window next frees room: its end, or for rolling windows when the oldest bucket leaves. */
export function resetsAtOf(b: CompiledBudget, l: CompiledLimit, at: number): number | null {
  const w = l.limit.window;
  if (w.type === "rolling") {
    const size = rollingBucketMs(w.minutes);
    return Math.floor((at - w.minutes * 60_000) / size) * size + size + w.minutes * 60_000;
  }
  return boundsAt(b, l, at).end;
}

/** A denial naming the budget and limit that blocked, what remains and when it resets. */
export function denialFor(input: {
  b: CompiledBudget;
  l: CompiledLimit;
  partition: string;
  current: Amounts;
  requested: Amounts;
  at: number;
  windowStart: number;
  retryAfterMs: number | null;
  /** The cap the hold had to respect (the caller's share of the limit); default the limit as written. */
  cap?: LimitAmounts;
}): Denial {
  const { b, l, partition, current, requested, at, windowStart, retryAfterMs } = input;
  const cap = input.cap ?? capOf(l, false);
  const remaining = remainingOf(cap, current);
  const what = [
    cap.tokens !== undefined ? `${remaining.tokens} of ${cap.tokens} tokens left` : null,
    cap.costNanoUsd !== undefined
      ? `$${formatUsd(remaining.costNanoUsd ?? 0n)} of $${formatUsd(cap.costNanoUsd)} left`
      : null,
    cap.requests !== undefined ? `${remaining.requests} of ${cap.requests} requests left` : null,
  ]
    .filter(Boolean)
    .join(", ");
  const resetsAt = resetsAtOf(b, l, at);
  const where = partition ? ` (${partition})` : "";
  return {
    reason: "limit_exceeded",
    message: `budget "${b.budget.id}" limit "${l.limit.id}"${where} would be exceeded: ${what}${
      resetsAt === null ? "" : `; resets at ${new Date(resetsAt).toISOString()}`
    }`,
    budgetId: b.budget.id,
    limitId: l.limit.id,
    partition,
    enforcement: l.limit.enforcement === "soft_limit" ? "soft_limit" : "hard_limit",
    window: l.limit.window,
    limit: cap,
    current,
    requested,
    remaining,
    resetsAt,
    windowStart,
    retryAfterMs,
  };
}

/** The denial of a concurrency limit: every slot of the partition is in flight. */
export function inFlightDenial(input: {
  b: CompiledBudget;
  l: CompiledLimit;
  partition: string;
  inFlight: number;
  requested: Amounts;
  /** The slots the caller could take (its share of them). */
  slots: number;
}): Denial {
  const { b, l, partition, inFlight, requested } = input;
  const cap = input.slots;
  const where = partition ? ` (${partition})` : "";
  return {
    reason: "limit_exceeded",
    message: `budget "${b.budget.id}" limit "${l.limit.id}"${where} has ${inFlight} of ${cap} reservations in flight; a slot frees when one is committed, released or expires`,
    budgetId: b.budget.id,
    limitId: l.limit.id,
    partition,
    enforcement: l.limit.enforcement === "soft_limit" ? "soft_limit" : "hard_limit",
    window: l.limit.window,
    limit: { concurrency: cap },
    current: { tokens: 0, costNanoUsd: 0n, requests: inFlight },
    requested,
    remaining: { concurrency: Math.max(0, cap - inFlight) },
    resetsAt: null,
    windowStart: null,
    retryAfterMs: null,
  };
}

/**
 * Stores (and announces) a denial alert — once per budget, limit, partition and window, so a
 * blocked caller retrying in a loop raises one alert, not thousands.
 */
export async function raiseDenialAlert(ctx: EngineContext, denial: Denial, windowStart: number, at: number) {
  const dedupeKey = `denial|${denial.budgetId}|${denial.limitId}|${denial.partition}|${windowStart}`;
  if (ctx.seenAlertKeys.has(dedupeKey)) return;
  ctx.seenAlertKeys.add(dedupeKey);
  const alert: Alert = {
    id: ctx.ids.next("alr"),
    dedupeKey,
    type: "denial",
    severity: "critical",
    time: at,
    message: denial.message,
    data: {
      budgetId: denial.budgetId,
      limitId: denial.limitId,
      partition: denial.partition,
      enforcement: denial.enforcement,
      windowStart,
      resetsAt: denial.resetsAt,
    },
    acknowledgedAt: null,
  };
  if (await ctx.store.insertAlert(alert)) ctx.emit({ type: "alert", alert });
}

/** The denial for a model the catalog cannot price (under the `deny` policy). */
export function unknownModelDenial(
  priced: Extract<Priced, { ok: false }>,
  requested: Amounts,
): ReserveResult {
  const name = [priced.provider, priced.model].filter(Boolean).join("/") || "(no model given)";
  return {
    status: "denied",
    denial: limitlessDenial(
      "unknown_model",
      `no price for model ${name}: unpriced models are denied (configure a fallback price to allow them)`,
      requested,
    ),
  };
}

/** A denial that no budget's limit made (an unpriced model, no capable candidate). */
export function limitlessDenial(
  reason: "unknown_model" | "no_candidate",
  message: string,
  requested: Amounts,
): Denial {
  return {
    reason,
    message,
    budgetId: null,
    limitId: null,
    partition: null,
    enforcement: null,
    window: null,
    limit: null,
    current: null,
    requested,
    remaining: null,
    resetsAt: null,
    windowStart: null,
    retryAfterMs: null,
  };
}
