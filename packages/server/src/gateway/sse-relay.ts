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
/** Relayed chunks queued for a slow caller before the upstream is paused. */
const QUEUED_EVENTS = 16;

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

/** What {@link relaySse} reads: a Node stream of the upstream's body (an `IncomingMessage`). */
export interface SseSource {
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  on(event: "close", listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
  readonly readableEnded: boolean;
}

/**
 * Relays a server-sent event stream event by event, byte for byte, except the events `observe`
 * drops. Each event goes on as soon as its boundary arrives (a partial one is held until then);
 * the source is paused while the caller is slower than the upstream. Cancelling the result (the
 * caller went away) destroys the source, which cuts the upstream request.
 */
export function relaySse(
  source: SseSource,
  hooks: SseRelayHooks,
  options: { idleTimeoutMs?: number } = {},
): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  let idle: ReturnType<typeof setTimeout> | undefined;
  // A stream that stalls is cut, so its hold does not linger until the reservation expires.
  const armIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    clearTimeout(idle);
    idle = setTimeout(
      () => source.destroy(new Error(`no data from the upstream for ${options.idleTimeoutMs} ms`)),
      options.idleTimeoutMs,
    );
  };
  let pending = "";
  let done = false;
  // An upstream failure is told to the caller only after the events before it were read.
  let failure: Error | null = null;
  const finish = (report: () => void) => {
    if (done) return false;
    done = true;
    clearTimeout(idle);
    report();
    return true;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        armIdle();
        source.on("data", (chunk) => {
          if (done) return;
          armIdle();
          pending += decoder.decode(chunk, { stream: true });
          let out = "";
          for (let m = BOUNDARY.exec(pending); m; m = BOUNDARY.exec(pending)) {
            const end = m.index + m[0].length;
            const event = pending.slice(0, end);
            pending = pending.slice(end);
            if (keep(event.slice(0, m.index), hooks)) out += event;
          }
          if (out === "") return;
          controller.enqueue(Buffer.from(out, "utf8"));
          if ((controller.desiredSize ?? 0) <= 0) {
            // Waiting on the caller, not the upstream: not idle.
            clearTimeout(idle);
            source.pause();
          }
        });
        source.on("end", () => {
          pending += decoder.decode();
          const rest = pending !== "" && keep(pending, hooks) ? pending : "";
          if (!finish(() => hooks.ended())) return;
          if (rest !== "") controller.enqueue(Buffer.from(rest, "utf8"));
          controller.close();
        });
        const broken = (err: Error) => {
          if (!finish(() => hooks.failed(err))) return;
          // Erroring drops what is queued: with events still unread, fail once they are read.
          if (controller.desiredSize === QUEUED_EVENTS) controller.error(err);
          else failure = err;
        };
        source.on("error", broken);
        // A connection cut without an error event (the upstream went away before the end).
        source.on("close", () => {
          if (!source.readableEnded) broken(new Error("the upstream stream broke off"));
        });
      },
      pull(controller) {
        if (failure) {
          // Pulled again after each read: the queue is empty once desiredSize is back at its top.
          if (controller.desiredSize === QUEUED_EVENTS) controller.error(failure);
          return;
        }
        if (!done) armIdle();
        source.resume();
      },
      cancel() {
        finish(() => hooks.cancelled());
        source.destroy();
      },
    },
    { highWaterMark: QUEUED_EVENTS },
  );
}
