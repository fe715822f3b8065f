import { createHmac } from "node:crypto";
import { type Alert, createMemoryStore } from "@budget/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startReceiver } from "./test-receiver.js";
import { createWebhookDispatcher, type WebhookDispatcherOptions } from "./webhook-dispatcher.js";
import { alertToWebhookEvent, type WebhookEvent } from "./webhook-event.js";
import type { DeliveryOutcome } from "./webhook-lane.js";
import { verifyWebhookSignature } from "./webhook-signature.js";

const SECRET = "s3cret-signing-key-0123";

function alert(id: string, type: Alert["type"] = "threshold"): Alert {
  return {
    id,
    dedupeKey: `k|${id}`,
    type,
    severity: "warning",
    time: 1_700_000_000_000,
    message: `alert ${id}`,
    data: { budgetId: "team", threshold: 0.5, usedCostUsd: "0.500000000" },
    acknowledgedAt: null,
  };
}

const usage = (id: string): WebhookEvent => ({ id, type: "usage", time: 1, data: { costUsd: "0.01" } });

/** Collects outcomes and log lines; stops every dispatcher after the test. */
function harness() {
  const outcomes: DeliveryOutcome[] = [];
  const logs: { level: string; obj: object; msg: string }[] = [];
  const made: { stop(o?: { deadlineMs?: number }): Promise<unknown> }[] = [];
  const create = (o: WebhookDispatcherOptions) => {
    const d = createWebhookDispatcher({
      backoffMs: 10,
      onOutcome: (_w, outcome) => outcomes.push(outcome),
      logger: {
        debug: (obj, msg) => logs.push({ level: "debug", obj, msg }),
        warn: (obj, msg) => logs.push({ level: "warn", obj, msg }),
      },
      ...o,
    });
    made.push(d);
    return d;
  };
  return { outcomes, logs, create, stopAll: () => Promise.all(made.map((d) => d.stop({ deadlineMs: 50 }))) };
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

async function setup(reply?: Parameters<typeof startReceiver>[0]) {
  const receiver = await startReceiver(reply);
  const h = harness();
  cleanup.push(h.stopAll, receiver.close);
  return { receiver, ...h };
}

describe("createWebhookDispatcher", () => {
  it("sends the webhook's configured headers (its credentials) with every delivery", async () => {
    const { receiver, create } = await setup();
    const d = create({
      webhooks: [{ url: `${receiver.url}/hook`, headers: { authorization: "Bearer receiver-token-1" } }],
    });
    d.enqueue(alertToWebhookEvent(alert("alr_h")));
    await d.idle();
    expect(receiver.requests[0]?.headers.authorization).toBe("Bearer receiver-token-1");
    expect(receiver.requests[0]?.headers["content-type"]).toBe("application/json");
  });

  it("POSTs { id, type, time, data } with event, delivery and a verifiable HMAC signature", async () => {
    const { receiver, create, outcomes } = await setup();
    const d = create({ webhooks: [{ url: `${receiver.url}/hook`, secret: SECRET }] });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    if (!req) throw new Error("no request");
    expect(req.path).toBe("/hook");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["x-budget-event"]).toBe("alert.threshold");
    expect(req.headers["x-budget-delivery"]).toMatch(/^dlv_[0-9a-f-]{36}$/);
    const expected = `sha256=${createHmac("sha256", SECRET).update(req.body).digest("hex")}`;
    expect(req.headers["x-budget-signature"]).toBe(expected);
    expect(verifyWebhookSignature(SECRET, req.body, req.headers["x-budget-signature"] as string)).toBe(true);
    expect(verifyWebhookSignature(SECRET, `${req.body} `, expected)).toBe(false);
    expect(verifyWebhookSignature("another-secret-0123456", req.body, expected)).toBe(false);
    expect(JSON.parse(req.body)).toEqual({
      id: "alr_1",
      type: "alert.threshold",
      time: 1_700_000_000_000,
      data: alert("alr_1"),
    });
    expect(outcomes).toEqual(["delivered"]);
  });

  it("sends no signature without a secret", async () => {
    const { receiver, create } = await setup();
    const d = create({ webhooks: [{ url: receiver.url }] });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    expect(receiver.requests[0]?.headers["x-budget-signature"]).toBeUndefined();
  });

  it("delivers to each webhook only the events its filter selects (default: alerts)", async () => {
    const { receiver, create } = await setup();
    const d = create({
      webhooks: [
        { url: `${receiver.url}/default` },
        { url: `${receiver.url}/usage`, events: ["usage"] },
        { url: `${receiver.url}/prices`, events: ["price_change", "alert.source_failure"] },
        { url: `${receiver.url}/all`, events: ["*"] },
      ],
    });
    expect(d.accepts("usage")).toBe(true);
    expect(d.accepts("budget")).toBe(true);
    d.enqueue(alertToWebhookEvent(alert("a1", "threshold")));
    d.enqueue(alertToWebhookEvent(alert("a2", "price_change")));
    d.enqueue(usage("u1"));
    d.enqueue(alertToWebhookEvent(alert("a3", "source_failure")));
    await d.idle();
    const got = (path: string) =>
      receiver.requests.filter((r) => r.path === path).map((r) => (JSON.parse(r.body) as WebhookEvent).id);
    expect(got("/default")).toEqual(["a1", "a2", "a3"]);
    expect(got("/usage")).toEqual(["u1"]);
    expect(got("/prices")).toEqual(["a2", "a3"]);
    expect(got("/all")).toEqual(["a1", "a2", "u1", "a3"]);
    // Each webhook gets its own delivery id for the same event.
    const ids = receiver.requests
      .filter((r) => r.body.includes('"a2"'))
      .map((r) => r.headers["x-budget-delivery"]);
    expect(new Set(ids).size).toBe(3);
  });

  it("retries a 500 with the same delivery id, then succeeds", async () => {
    const { receiver, create, outcomes } = await setup((_r, n) => ({ status: n === 1 ? 500 : 200 }));
    const d = create({ webhooks: [{ url: receiver.url, secret: SECRET }] });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    expect(receiver.requests).toHaveLength(2);
    const [a, b] = receiver.requests;
    expect(a?.headers["x-budget-delivery"]).toBe(b?.headers["x-budget-delivery"]);
    expect(a?.body).toBe(b?.body);
    expect([a?.headers["x-budget-attempt"], b?.headers["x-budget-attempt"]]).toEqual(["1", "2"]);
    expect(outcomes).toEqual(["delivered"]);
  });

  it("waits at least Retry-After on a 429", async () => {
    const { receiver, create } = await setup((_r, n) =>
      n === 1 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 },
    );
    const d = create({ webhooks: [{ url: receiver.url }] });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    const [a, b] = receiver.requests;
    expect(receiver.requests).toHaveLength(2);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("does not retry a 400", async () => {
    const { receiver, create, outcomes, logs } = await setup(() => ({ status: 400 }));
    const d = create({ webhooks: [{ url: receiver.url }] });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(outcomes).toEqual(["rejected"]);
    expect(logs.some((l) => l.level === "warn" && (l.obj as { status?: number }).status === 400)).toBe(true);
  });

  it("times out a receiver that never answers, retries, gives up after maxAttempts; logs no secret", async () => {
    const { receiver, create, outcomes, logs } = await setup(() => "hang");
    const url = `${receiver.url}/hooks/token-in-path-xyz`;
    const d = create({ webhooks: [{ url, secret: SECRET, timeoutMs: 100 }], maxAttempts: 2 });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    expect(receiver.requests).toHaveLength(2);
    expect(outcomes).toEqual(["failed"]);
    const text = JSON.stringify(logs);
    expect(text).toContain("timed out after 100 ms");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("token-in-path-xyz");
  });

  it("retries network errors (connection refused)", async () => {
    const { receiver, create, outcomes, logs } = await setup();
    await receiver.close();
    const d = create({ webhooks: [{ url: receiver.url }], maxAttempts: 3 });
    d.enqueue(alertToWebhookEvent(alert("alr_1")));
    await d.idle();
    expect(outcomes).toEqual(["failed"]);
    expect(logs.filter((l) => l.msg.includes("retrying"))).toHaveLength(2);
  });

  it("delivers one at a time per webhook, in order", async () => {
    const { receiver, create } = await setup((_r, n) => ({ status: 200, delayMs: (n % 3) * 15 }));
    const d = create({ webhooks: [{ url: receiver.url, events: ["usage"] }] });
    for (let i = 0; i < 6; i++) d.enqueue(usage(`u${i}`));
    expect(d.pending()).toBe(6);
    await d.idle();
    expect(receiver.requests.map((r) => (JSON.parse(r.body) as WebhookEvent).id)).toEqual([
      "u0",
      "u1",
      "u2",
      "u3",
      "u4",
      "u5",
    ]);
    expect(receiver.maxActive()).toBe(1);
  });

  it("drops the oldest queued event past maxQueue, with one warning", async () => {
    const { receiver, create, outcomes, logs } = await setup((_r) => ({ status: 200, delayMs: 30 }));
    const d = create({ webhooks: [{ url: receiver.url, events: ["usage"] }], maxQueue: 2 });
    for (let i = 1; i <= 5; i++) d.enqueue(usage(`u${i}`));
    await d.idle();
    expect(receiver.requests.map((r) => (JSON.parse(r.body) as WebhookEvent).id)).toEqual(["u1", "u4", "u5"]);
    expect(outcomes.filter((o) => o === "dropped")).toHaveLength(2);
    expect(logs.filter((l) => l.msg.includes("queue full"))).toHaveLength(1);
  });

  it("stop drains within the deadline, then aborts what is left", async () => {
    const slow = await setup((_r) => ({ status: 200, delayMs: 20 }));
    const d1 = slow.create({ webhooks: [{ url: slow.receiver.url }] });
    d1.enqueue(alertToWebhookEvent(alert("a1")));
    d1.enqueue(alertToWebhookEvent(alert("a2")));
    expect(await d1.stop({ deadlineMs: 2000 })).toEqual({ undelivered: 0 });
    expect(slow.receiver.requests).toHaveLength(2);
    d1.enqueue(alertToWebhookEvent(alert("a3")));
    expect(slow.outcomes).toEqual(["delivered", "delivered", "dropped"]);

    const hung = await setup(() => "hang");
    const d2 = hung.create({ webhooks: [{ url: hung.receiver.url, timeoutMs: 30_000 }] });
    for (const id of ["b1", "b2", "b3"]) d2.enqueue(alertToWebhookEvent(alert(id)));
    // Past the deadline the deliveries are aborted, not left to their 30 s timeout ("failed").
    expect(await d2.stop({ deadlineMs: 100 })).toEqual({ undelivered: 3 });
    expect(hung.outcomes).toEqual(["aborted", "aborted", "aborted"]);
    expect(d2.pending()).toBe(0);
  });

  it("keeps alert deliveries cut by shutdown in the outbox; the next dispatcher sends them, same ids", async () => {
    const outbox = createMemoryStore();
    const hung = await setup(() => "hang");
    const d1 = hung.create({ webhooks: [{ id: "ops", url: hung.receiver.url, events: ["*"] }], outbox });
    d1.enqueue(alertToWebhookEvent(alert("c1")));
    d1.enqueue(usage("evt_1")); // not an alert: delivered from memory only
    d1.enqueue(alertToWebhookEvent(alert("c2")));
    await vi.waitFor(() => expect(hung.receiver.requests.length).toBe(1));
    expect(await d1.stop({ deadlineMs: 50 })).toEqual({ undelivered: 3 });
    const saved = await outbox.listWebhookDeliveries();
    expect(saved.map((d) => [d.webhook, d.type, JSON.parse(d.body).id])).toEqual([
      ["ops", "alert.threshold", "c1"],
      ["ops", "alert.threshold", "c2"],
    ]);

    const ok = await setup();
    const d2 = ok.create({ webhooks: [{ id: "ops", url: ok.receiver.url, events: ["*"] }], outbox });
    d2.enqueue(alertToWebhookEvent(alert("c3")));
    await d2.idle();
    expect(ok.receiver.requests.map((r) => JSON.parse(r.body).id)).toEqual(["c1", "c2", "c3"]);
    expect(ok.receiver.requests[0]?.headers["x-budget-delivery"]).toBe(saved[0]?.id);
    await vi.waitFor(async () => expect(await outbox.listWebhookDeliveries()).toEqual([]));
  });

  it("forgets saved deliveries of a webhook that is no longer configured", async () => {
    const outbox = createMemoryStore();
    await outbox.saveWebhookDeliveries([
      { id: "dlv_old", webhook: "gone", type: "alert.threshold", body: "{}", createdAt: 1 },
    ]);
    const { receiver, create } = await setup();
    const d = create({ webhooks: [{ id: "ops", url: receiver.url }], outbox });
    await d.idle();
    expect(receiver.requests).toHaveLength(0);
    expect(await outbox.listWebhookDeliveries()).toEqual([]);
  });
});
