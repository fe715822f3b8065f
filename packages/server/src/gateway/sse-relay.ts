/** What a relayed event stream reports; every exit path reaches exactly one of `ended`, `failed`, `cancelled`. */
export interface SseRelayHooks {
  /** Sees the parsed JSON `data` of each event; `false` drops the event's bytes. */
  observe(data: unknown): boolean | undefined;
  /** The upstream stream ended normally. */
  ended(): void;
  /** The upstream stream failed midway (a dropped connection): the client's stream fails too. */
  failed(error: unknown): void;
  /** The client went away: the upstream stream has been cancelled. */
  cancelled(): void;
}

const BOUNDARY = /\r\n\r\n|\n\n|\r\r/;

/** The joined `data:` lines of one event (null when it has none). */
function dataOf(event: string): string | null {
  let data: string | null = null;
  for (const line of event.split(/\r\n|\n|\r/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

/** Whether an event passes: its data observed when it is JSON (`[DONE]` and comments pass unobserved). */
function keep(event: string, hooks: SseRelayHooks): boolean {
  const data = dataOf(event);
  if (data === null || data === "[DONE]") return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return true;
  }
  return hooks.observe(parsed) !== false;
}

/**
 * Relays a server-sent event stream event by event, byte for byte, except the events `observe`
 * drops. A partial event is held until its boundary arrives. Cancelling the result (the client
 * went away) cancels `body`, which aborts the upstream request.
 */
export function relaySse(body: ReadableStream<Uint8Array>, hooks: SseRelayHooks): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  let done = false;
  const finish = (report: () => void) => {
    if (done) return;
    done = true;
    report();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (err) {
          finish(() => hooks.failed(err));
          controller.error(err);
          return;
        }
        if (chunk.done) {
          pending += decoder.decode();
          if (pending !== "" && keep(pending, hooks)) controller.enqueue(encoder.encode(pending));
          finish(() => hooks.ended());
          controller.close();
          return;
        }
        pending += decoder.decode(chunk.value, { stream: true });
        let out = "";
        for (let m = BOUNDARY.exec(pending); m; m = BOUNDARY.exec(pending)) {
          const end = m.index + m[0].length;
          const event = pending.slice(0, end);
          pending = pending.slice(end);
          if (keep(event.slice(0, m.index), hooks)) out += event;
        }
        if (out !== "") {
          controller.enqueue(encoder.encode(out));
          return;
        }
      }
    },
    async cancel(reason) {
      finish(() => hooks.cancelled());
      await reader.cancel(reason).catch(() => {});
    },
  });
}
