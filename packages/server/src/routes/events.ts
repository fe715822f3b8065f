import type { ApiKeyRecord } from "@budget/core";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import type { HubEvent } from "../events/event-hub.js";

const eventsQuery = z.object({
  /** Comma-separated event types to receive (default: all). */
  types: z.string().max(512).optional(),
  /** Same as the Last-Event-ID header, for clients that cannot set it. */
  lastEventId: z.string().regex(/^\d+$/).optional(),
  /** A reader key, for EventSource (which cannot set headers); any other key goes in a header. */
  api_key: z.string().min(1).max(256).optional(),
});

/** `GET /v1/events`: live usage, reservation decisions, threshold crossings and price changes over SSE. */
export function eventRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/events",
      role: "reader",
      tag: "events",
      summary:
        "Server-sent events: usage, reservation, release, threshold, alert, alert_ack, budget, price_change; resume with Last-Event-ID",
      query: eventsQuery,
      response: {
        description:
          "An event stream: `id:` (the Last-Event-ID to resume from), `event:` (the type) and `data:` (its JSON) per event, `: ping` heartbeats",
        media: { "text/event-stream": z.string() },
      },
      handler: ({ c, query, key }) => stream(d, c, query, key),
    }),
  ];
}

function stream(
  d: RouteDeps,
  c: Context,
  query: z.output<typeof eventsQuery>,
  key: ApiKeyRecord | null,
): Response {
  const types = query.types ? new Set(query.types.split(",")) : null;
  const header = c.req.header("last-event-id");
  const lastId = Number(/^\d+$/.test(header ?? "") ? header : (query.lastEventId ?? Number.NaN));
  return streamSSE(c, async (sse) => {
    let lastSent = Number.isNaN(lastId) ? Number.POSITIVE_INFINITY : lastId;
    let chain: Promise<unknown> = Promise.resolve();
    const send = (e: HubEvent) => {
      if (types && !types.has(e.type)) return;
      chain = chain.then(() =>
        sse.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e.data) }).catch(() => {}),
      );
    };
    // Subscribe before replaying, so nothing published in between is missed; ids dedupe the overlap.
    const pending: HubEvent[] = [];
    let live = false;
    const unsubscribe = d.hub.subscribe((e) => (live ? send(e) : pending.push(e)));
    await sse.write("retry: 2000\n\n");
    if (Number.isFinite(lastSent)) {
      const { events, gap } = d.hub.since(lastSent);
      if (gap)
        await sse.writeSSE({ event: "resync", data: JSON.stringify({ reason: "events were dropped" }) });
      for (const e of events) send(e);
      lastSent = events.at(-1)?.id ?? lastSent;
    }
    for (const e of pending) if (!Number.isFinite(lastSent) || e.id > lastSent) send(e);
    live = true;
    let revoked: () => void = () => {};
    /** The stream ends once its key is no longer valid (revoked here, or by another instance). */
    const recheck = () => {
      if (key)
        void d.auth.isCurrent(key).then(
          (ok) => ok || revoked(),
          () => {},
        );
    };
    const offKeys = d.auth.onKeyChange((id) => (id === "*" || id === key?.id) && recheck());
    const heartbeat = setInterval(() => {
      chain = chain.then(() => sse.write(": ping\n\n").catch(() => {}));
      recheck(); // stores that report no key changes: caught within a heartbeat
    }, d.sseHeartbeatMs);
    await new Promise<void>((resolve) => {
      revoked = resolve;
      sse.onAbort(resolve);
      const off = d.hub.onClose(resolve);
      sse.onAbort(off);
    });
    clearInterval(heartbeat);
    offKeys();
    unsubscribe();
    await chain;
  });
}
