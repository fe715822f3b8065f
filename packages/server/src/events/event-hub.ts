import type { EngineEvent } from "@budget/core";
import { reserveResultToWire, usageEventToWire } from "@budget/core";

/** One event as the SSE stream sends it. */
export interface HubEvent {
  /** Monotonic, also across restarts (see {@link createEventHub}). */
  id: number;
  type: string;
  data: unknown;
}

/** Fan-out of live events with a bounded replay buffer for `Last-Event-ID`. */
export interface EventHub {
  publish(type: string, data: unknown): HubEvent;
  /** Turns an engine event into its wire form and publishes it. */
  publishEngineEvent(event: EngineEvent): void;
  /** Buffered events after `lastId`; `gap` when some were already dropped from the buffer. */
  since(lastId: number): { events: HubEvent[]; gap: boolean };
  subscribe(listener: (event: HubEvent) => void): () => void;
  /** Ends every subscription (shutdown). */
  close(): void;
  onClose(listener: () => void): () => void;
}

/** Engine events in wire form: money as USD strings, as every other response. */
export function engineEventToWire(event: EngineEvent): { type: string; data: unknown } {
  switch (event.type) {
    case "usage":
      return { type: "usage", data: usageEventToWire(event.event) };
    case "reservation":
      return {
        type: "reservation",
        data: { dimensions: event.dimensions, result: reserveResultToWire(event.result) },
      };
    case "alert":
      return { type: event.alert.type === "threshold" ? "threshold" : "alert", data: event.alert };
    default: {
      const { type, ...rest } = event;
      return { type, data: rest };
    }
  }
}

/** A hub event converted to wire form on first read: on the hot path nobody may be listening. */
class LazyWireEvent implements HubEvent {
  readonly id: number;
  #event: EngineEvent;
  #wire: { type: string; data: unknown } | undefined;
  constructor(id: number, event: EngineEvent) {
    this.id = id;
    this.#event = event;
  }
  get type(): string {
    return this.#toWire().type;
  }
  get data(): unknown {
    return this.#toWire().data;
  }
  #toWire() {
    this.#wire ??= engineEventToWire(this.#event);
    return this.#wire;
  }
}

/**
 * Creates the hub. Ids start at the start time in ms × 1000, so ids keep growing across restarts
 * (a client resuming after a restart gets a `gap` rather than a silent reuse of ids).
 */
export function createEventHub(options: { bufferSize?: number; now?: () => number } = {}): EventHub {
  const size = options.bufferSize ?? 1000;
  const buffer: HubEvent[] = [];
  const listeners = new Set<(e: HubEvent) => void>();
  const closers = new Set<() => void>();
  let nextId = (options.now ?? Date.now)() * 1000;
  const push = (event: HubEvent): HubEvent => {
    buffer.push(event);
    if (buffer.length > size) buffer.shift();
    for (const l of listeners) l(event);
    return event;
  };
  const hub: EventHub = {
    publish: (type, data) => push({ id: ++nextId, type, data }),
    publishEngineEvent(event) {
      push(new LazyWireEvent(++nextId, event));
    },
    since(lastId) {
      const first = buffer[0];
      const gap = first !== undefined && lastId < first.id - 1;
      return { events: buffer.filter((e) => e.id > lastId), gap };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      for (const c of closers) c();
      closers.clear();
      listeners.clear();
    },
    onClose(listener) {
      closers.add(listener);
      return () => closers.delete(listener);
    },
  };
  return hub;
}
