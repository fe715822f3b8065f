import { randomUUID } from "node:crypto";
import { type Clock, type Store, systemClock } from "@budget/core";
import type { WebhookConfig } from "../config/config-schema.js";
import type { WebhookEvent } from "./webhook-event.js";
import { filterMatches } from "./webhook-event.js";
import {
  createWebhookLane,
  type DeliveryJob,
  type DeliveryOutcome,
  type ResolvedWebhook,
  type WebhookLane,
  type WebhookLogger,
} from "./webhook-lane.js";

/** Options of {@link createWebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  webhooks: readonly WebhookConfig[];
  /** Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  logger?: WebhookLogger;
  /** Attempts per delivery when a webhook does not set its own (default 8). */
  maxAttempts?: number;
  /** First retry's base delay, doubled per retry, with jitter (default 1000). */
  backoffMs?: number;
  /** Cap of one wait, `Retry-After` included (default 300000). */
  maxBackoffMs?: number;
  /** One attempt's timeout when a webhook does not set its own (default 10000). */
  timeoutMs?: number;
  /** Events queued per webhook before the oldest is dropped (default 10000). */
  maxQueue?: number;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /** Called once per delivery with how it ended (metrics). */
  onOutcome?: (webhook: string, outcome: DeliveryOutcome) => void;
  /**
   * Where alert deliveries wait until done (the store): saved before they are queued, deleted once
   * delivered, refused or given up, and queued again by the next dispatcher over the same store —
   * so an alert whose delivery was cut by a restart or crash is still delivered (at least once:
   * the receiver may see a delivery id twice). Other events are delivered from memory only.
   */
  outbox?: Pick<Store, "saveWebhookDeliveries" | "deleteWebhookDelivery" | "listWebhookDeliveries">;
}

/** Delivers events to the configured webhooks in the background. */
export interface WebhookDispatcher {
  /** Queues an event for every webhook whose filter selects its type; never blocks or throws. */
  enqueue(event: WebhookEvent): void;
  /** Whether any webhook wants this event type (lets callers skip building the event). */
  accepts(type: string): boolean;
  /** Deliveries queued or in flight (the outbox's saved ones once they are queued). */
  pending(): number;
  /** Resolves when every queue is empty. */
  idle(): Promise<void>;
  /**
   * Refuses new events, lets queued deliveries finish for up to `deadlineMs` (default 5000), then
   * aborts the rest; resolves with how many were not delivered.
   */
  stop(options?: { deadlineMs?: number }): Promise<{ undelivered: number }>;
}

const silent: WebhookLogger = { debug() {}, warn() {} };

function resolveWebhook(w: WebhookConfig, o: WebhookDispatcherOptions): ResolvedWebhook {
  return {
    url: w.url,
    label: w.id ?? new URL(w.url).host,
    secret: w.secret,
    headers: w.headers ?? {},
    events: w.events ?? ["alert"],
    timeoutMs: w.timeoutMs ?? o.timeoutMs ?? 10_000,
    maxAttempts: w.maxAttempts ?? o.maxAttempts ?? 8,
  };
}

/**
 * Creates the dispatcher: each event goes as a JSON POST `{ id, type, time, data }` to every
 * matching webhook, signed with its secret, retried with exponential backoff on network errors,
 * timeouts, 5xx, 408 and 429 (after `Retry-After`), never on other 4xx. One delivery at a time per
 * webhook keeps its events in order; each delivery id stays the same across retries.
 *
 * @example
 * const webhooks = createWebhookDispatcher({ webhooks: config.webhooks, logger });
 * webhooks.enqueue(alertToWebhookEvent(alert));
 * await webhooks.stop({ deadlineMs: 5000 });
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silent;
  const abort = new AbortController();
  const onOutcome = options.onOutcome ?? (() => {});
  const outbox = options.outbox;
  const forget = (job: DeliveryJob) => {
    if (!job.durable || !outbox) return;
    outbox.deleteWebhookDelivery(job.deliveryId).catch((err: unknown) => {
      logger.warn({ err, delivery: job.deliveryId }, "webhook outbox: could not forget a finished delivery");
    });
  };
  const lanes: WebhookLane[] = options.webhooks.map((w) =>
    createWebhookLane(resolveWebhook(w, options), {
      fetch: options.fetch ?? globalThis.fetch,
      clock,
      logger,
      backoff: {
        backoffMs: options.backoffMs ?? 1000,
        maxBackoffMs: options.maxBackoffMs ?? 300_000,
        random: options.random ?? Math.random,
      },
      maxQueue: options.maxQueue ?? 10_000,
      signal: abort.signal,
      onOutcome,
      onDone: forget,
    }),
  );
  const laneOf = new Map(lanes.map((l) => [l.hook.label, l]));
  // Outbox reads and saves go in one chain; while it has work, every event queues behind it, so a
  // lane sees events in the order they came.
  let chain: Promise<void> = Promise.resolve();
  // Saved deliveries are listed by `createdAt`: strictly increasing here, so a burst keeps its order.
  let lastSaved = 0;
  const savedAt = () => {
    lastSaved = Math.max(clock.now(), lastSaved + 1);
    return lastSaved;
  };
  let chained = 0;
  const afterChain = (step: () => Promise<void> | void) => {
    chained += 1;
    chain = chain.then(step).finally(() => {
      chained -= 1;
    });
  };
  if (outbox) afterChain(() => restore(outbox));

  /** Queues the deliveries a previous dispatcher left in the outbox; forgets those of removed webhooks. */
  async function restore(from: NonNullable<typeof outbox>): Promise<void> {
    try {
      for (const d of await from.listWebhookDeliveries()) {
        const lane = laneOf.get(d.webhook);
        if (lane) lane.push({ deliveryId: d.id, type: d.type, body: d.body, durable: true });
        else await from.deleteWebhookDelivery(d.id);
      }
    } catch (err) {
      logger.warn({ err }, "webhook outbox: could not resume saved deliveries");
    }
  }
  let stopping: Promise<{ undelivered: number }> | null = null;
  const idle = async () => {
    await chain;
    await Promise.all(lanes.map((l) => l.idle()));
  };

  return {
    enqueue(event) {
      const targets = lanes.filter((l) => filterMatches(l.hook.events, event.type));
      if (targets.length === 0) return;
      if (stopping) {
        for (const l of targets) onOutcome(l.hook.label, "dropped");
        logger.warn({ type: event.type, id: event.id }, "webhook event after shutdown began: not delivered");
        return;
      }
      const body = JSON.stringify(event);
      const durable = outbox !== undefined && event.type.startsWith("alert.");
      const jobs = targets.map((l) => ({
        lane: l,
        job: { deliveryId: `dlv_${randomUUID()}`, type: event.type, body, durable },
      }));
      const push = () => {
        for (const { lane, job } of jobs) lane.push(job);
      };
      if (!durable) {
        if (chained === 0) push();
        else afterChain(push);
        return;
      }
      const saved = jobs.map(({ lane, job }) => ({
        id: job.deliveryId,
        webhook: lane.hook.label,
        type: job.type,
        body,
        createdAt: savedAt(),
      }));
      afterChain(async () => {
        try {
          await outbox.saveWebhookDeliveries(saved);
        } catch (err) {
          logger.warn(
            { err, id: event.id },
            "webhook outbox: delivery not saved (delivered from memory only)",
          );
        }
        push();
      });
    },
    accepts: (type) => lanes.some((l) => filterMatches(l.hook.events, type)),
    pending: () => lanes.reduce((n, l) => n + l.size(), 0),
    idle,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<"deadline">((resolve) => {
          timer = setTimeout(() => resolve("deadline"), stopOptions.deadlineMs ?? 5000);
        });
        const first = await Promise.race([idle().then(() => "drained" as const), deadline]);
        clearTimeout(timer);
        if (first === "drained") return { undelivered: 0 };
        const inFlight = lanes.reduce((n, l) => n + l.size(), 0);
        abort.abort();
        await idle();
        for (const l of lanes) for (let i = l.clear(); i > 0; i--) onOutcome(l.hook.label, "aborted");
        logger.warn(
          { undelivered: inFlight },
          outbox
            ? "webhook deliveries unfinished at shutdown (alert deliveries resume from the outbox on the next start)"
            : "webhook deliveries unfinished at shutdown (the alerts stay listed by GET /v1/alerts)",
        );
        return { undelivered: inFlight };
      })();
      return stopping;
    },
  };
}
