import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "@budget/core";
import { deliverAttempt } from "./deliver-attempt.js";
import { type BackoffOptions, retryDelayMs } from "./retry-policy.js";

/** How one delivery ended. */
export type DeliveryOutcome = "delivered" | "rejected" | "failed" | "dropped" | "aborted";

/** The log calls the dispatcher makes (a pino logger fits). */
export interface WebhookLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A webhook with every default applied. */
export interface ResolvedWebhook {
  url: string;
  /** Shown in logs and metrics instead of the URL, which may hold a token. */
  label: string;
  secret: string | undefined;
  /** Sent with every delivery (credentials the receiver wants, never in the URL). */
  headers: Readonly<Record<string, string>>;
  events: readonly string[];
  timeoutMs: number;
  maxAttempts: number;
}

/** One event waiting for one webhook. */
export interface DeliveryJob {
  deliveryId: string;
  type: string;
  body: string;
  /** Saved in the dispatcher's outbox: forgotten there once done. */
  durable?: boolean;
}

/** What every lane shares with its dispatcher. */
export interface LaneContext {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  logger: WebhookLogger;
  backoff: BackoffOptions;
  maxQueue: number;
  /** Aborted when shutdown passes its deadline: in-flight attempts and backoff waits end. */
  signal: AbortSignal;
  onOutcome(webhook: string, outcome: DeliveryOutcome): void;
  /** Called once a job is done with: delivered, refused, given up or dropped — not when aborted. */
  onDone(job: DeliveryJob): void;
}

/** The ordered queue of one webhook: one delivery at a time, so a receiver sees events in order. */
export interface WebhookLane {
  readonly hook: ResolvedWebhook;
  push(job: DeliveryJob): void;
  /** Queued plus in flight. */
  size(): number;
  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void>;
  /** Empties the queue (after an abort); returns how many were left. */
  clear(): number;
}

/** Creates a lane; its worker runs while jobs are queued. */
export function createWebhookLane(hook: ResolvedWebhook, ctx: LaneContext): WebhookLane {
  const queue: DeliveryJob[] = [];
  let inFlight = 0;
  let running = false;
  let dropped = 0;
  let waiters: (() => void)[] = [];
  const log = { webhook: hook.label };

  async function deliver(job: DeliveryJob): Promise<DeliveryOutcome> {
    for (let attempt = 1; ; attempt++) {
      const r = await deliverAttempt({
        ...job,
        ...hook,
        fetch: ctx.fetch,
        attempt,
        signal: ctx.signal,
        now: ctx.clock.now(),
      });
      const at = { ...log, delivery: job.deliveryId, type: job.type, attempt };
      if (r.kind === "delivered") return "delivered";
      if (r.kind === "rejected") {
        ctx.logger.warn({ ...at, status: r.status }, "webhook receiver refused the delivery; not retried");
        return "rejected";
      }
      if (ctx.signal.aborted) return "aborted";
      if (attempt >= hook.maxAttempts) {
        ctx.logger.warn({ ...at, status: r.status, error: r.error }, "webhook delivery failed; giving up");
        return "failed";
      }
      const waitMs = Math.round(retryDelayMs(attempt, r.retryAfterMs, ctx.backoff));
      ctx.logger.debug(
        { ...at, status: r.status, error: r.error, waitMs },
        "webhook delivery failed; retrying",
      );
      try {
        await sleep(waitMs, undefined, { signal: ctx.signal });
      } catch {
        return "aborted";
      }
    }
  }

  async function run(): Promise<void> {
    running = true;
    while (queue.length > 0 && !ctx.signal.aborted) {
      const job = queue.shift() as DeliveryJob;
      inFlight += 1;
      const outcome = await deliver(job);
      inFlight -= 1;
      ctx.onOutcome(hook.label, outcome);
      if (outcome !== "aborted") ctx.onDone(job);
    }
    running = false;
    for (const w of waiters) w();
    waiters = [];
  }

  return {
    hook,
    push(job) {
      queue.push(job);
      if (queue.length > ctx.maxQueue) {
        ctx.onDone(queue.shift() as DeliveryJob);
        ctx.onOutcome(hook.label, "dropped");
        // One line for the first drop and one per thousand after, not one per event.
        if (dropped++ % 1000 === 0) {
          ctx.logger.warn(
            { ...log, dropped, maxQueue: ctx.maxQueue },
            "webhook queue full: dropped the oldest event",
          );
        }
      }
      if (!running) void run();
    },
    size: () => queue.length + inFlight,
    idle() {
      if (!running) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    clear() {
      const left = queue.length;
      queue.length = 0;
      return left;
    },
  };
}
