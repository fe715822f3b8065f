import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";
import { type Listening, listen } from "../node/listen.js";

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads SSE events from a streaming response until `count` arrived. */
async function readEvents(res: Response, count: number): Promise<SseEvent[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: SseEvent[] = [];
  let buf = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let i = buf.indexOf("\n\n");
    while (i >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const e: SseEvent = {};
      for (const line of block.split("\n")) {
        const m = /^(id|event|data): ?(.*)$/.exec(line);
        if (m?.[2] !== undefined) e[m[1] as keyof SseEvent] = m[2];
      }
      if (e.event) events.push(e);
      i = buf.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return events;
}

let server: Listening | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("GET /v1/events", () => {
  it("streams usage, decisions and threshold crossings with ids, and resumes after Last-Event-ID", async () => {
    const clock = createManualClock("2026-05-01T00:00:00Z");
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const auth = createAuth(createMemoryKeyStore());
    const { key } = await auth.createKey({ name: "r", role: "reader" });
    const built = createBudgetApp({ engine, keys: auth, sseHeartbeatMs: 50 });
    server = await listen(built.fetch);
    const headers = { authorization: `Bearer ${key}` };

    const live = await fetch(`${server.url}/v1/events?types=reservation,usage,threshold`, { headers });
    expect(live.headers.get("content-type")).toContain("text/event-stream");
    const reading = readEvents(live, 5);
    await new Promise((r) => setTimeout(r, 50));
    await engine.upsertBudget({
      id: "b",
      limits: [{ id: "d", window: { type: "day" }, tokens: 100, enforcement: "warn" }],
    });
    const r = await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 200 } });
    if (r.status !== "allowed") throw new Error("expected allowed");
    await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 200 } });
    const events = await reading;
    expect(events.map((e) => e.event)).toEqual([
      "reservation",
      "usage",
      "threshold",
      "threshold",
      "threshold",
    ]);
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(JSON.parse(events[1]?.data ?? "{}").costUsd).toBe("0.000200000");

    // Resume after the usage event: the three threshold crossings are replayed, nothing else.
    const resumed = await fetch(`${server.url}/v1/events`, {
      headers: { ...headers, "last-event-id": events[1]!.id! },
    });
    const replay = await readEvents(resumed, 3);
    expect(replay.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));

    const denied = await fetch(`${server.url}/v1/events`);
    expect(denied.status).toBe(401);
    built.close();
  });

  it("tells live clients when an alert is acknowledged (alert_ack), once", async () => {
    const clock = createManualClock("2026-05-01T00:00:00Z");
    const store = createMemoryStore();
    const engine = createBudgetEngine({ store, catalog: createTestCatalog(), clock });
    const auth = createAuth(createMemoryKeyStore());
    const { key: reader } = await auth.createKey({ name: "r", role: "reader" });
    const { key: admin } = await auth.createKey({ name: "a", role: "admin" });
    const built = createBudgetApp({ engine, keys: auth, sseHeartbeatMs: 50 });
    server = await listen(built.fetch);
    await engine.upsertBudget({
      id: "b",
      limits: [{ id: "d", window: { type: "day" }, tokens: 100, enforcement: "warn" }],
    });
    await engine.record({ dimensions: { model: "test-model" }, usage: { inputTokens: 90 } });
    const [alert] = (await store.listAlerts({ unacknowledgedOnly: true })).alerts;
    if (!alert) throw new Error("expected a threshold alert");

    const live = await fetch(`${server.url}/v1/events?types=alert_ack`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    const reading = readEvents(live, 1);
    await new Promise((r) => setTimeout(r, 50));
    const ack = (id: string) =>
      fetch(`${server!.url}/v1/alerts/${id}/ack`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}` },
      });
    expect((await ack(alert.id)).status).toBe(200);
    // A second acknowledgement is refused and sends nothing.
    expect((await ack(alert.id)).status).toBe(404);
    const [event] = await reading;
    expect(event?.event).toBe("alert_ack");
    expect(JSON.parse(event?.data ?? "{}")).toEqual({ id: alert.id, acknowledgedAt: clock.now() });
  });
});
