import { isBudgetError } from "@budget/core/basics";
import type { Http } from "./http.js";

/** The state of a live connection: what a status light shows. */
export type LiveState = "connecting" | "live" | "offline" | "unauthorized";

/** Options of {@link followEvents}. */
export interface FollowEventsOptions {
  onEvent: (type: string, data: unknown) => void;
  onState?: ((state: LiveState) => void) | undefined;
  /** Comma-separated event types to receive (default: all). */
  types?: string | undefined;
}

/** Parses one server-sent event block; `id` and `retry` lines update `cursor`. */
function parseBlock(block: string, cursor: { lastId: string | null; retryMs: number }) {
  let type = "message";
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(":") || line === "") continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") type = value;
    else if (field === "data") data.push(value);
    else if (field === "id") cursor.lastId = value;
    else if (field === "retry" && /^\d+$/.test(value)) cursor.retryMs = Number(value);
  }
  if (data.length === 0) return null;
  const text = data.join("\n");
  try {
    return { type, data: JSON.parse(text) as unknown };
  } catch {
    return { type, data: text as unknown };
  }
}

/**
 * Follows `GET /v1/events` (server-sent events) with `fetch` rather than `EventSource`, so the key
 * travels in the Authorization header instead of the URL. Reconnects after the server's `retry`
 * delay, resuming with `Last-Event-ID`; stops for good on 401. Returns a function that disconnects.
 */
export function followEvents(http: Http, options: FollowEventsOptions): () => void {
  const abort = new AbortController();
  const cursor = { lastId: null as string | null, retryMs: 2000 };
  const setState = (s: LiveState) => options.onState?.(s);

  const follow = async () => {
    const res = await http.response("GET", "/v1/events", {
      query: { types: options.types },
      headers: { accept: "text/event-stream", ...(cursor.lastId ? { "last-event-id": cursor.lastId } : {}) },
      signal: abort.signal,
      extraTimeoutMs: null,
    });
    if (!res.body) throw new Error("events: no body");
    setState("live");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = blocks.pop() ?? "";
      for (const block of blocks) {
        const event = parseBlock(block, cursor);
        if (event) options.onEvent(event.type, event.data);
      }
    }
  };

  (async () => {
    while (!abort.signal.aborted) {
      setState("connecting");
      try {
        await follow();
      } catch (err) {
        if (abort.signal.aborted) return;
        if (isBudgetError(err, "unauthorized")) return setState("unauthorized");
      }
      setState("offline");
      await new Promise((r) => setTimeout(r, cursor.retryMs));
    }
  })();
  return () => abort.abort();
}
