/** The state of the live connection, shown in the header. */
export type LiveState = "connecting" | "live" | "offline" | "unauthorized";

/** Options of {@link connectEvents}. */
export interface ConnectOptions {
  key: string;
  onEvent: (type: string, data: unknown) => void;
  onState: (state: LiveState) => void;
}

/**
 * Follows `GET /v1/events` (server-sent events) with `fetch` rather than `EventSource`, so the key
 * travels in the Authorization header instead of the URL. Reconnects after the server's `retry`
 * delay, resuming with `Last-Event-ID`. Returns a function that disconnects.
 */
export function connectEvents(options: ConnectOptions): () => void {
  const abort = new AbortController();
  let lastId: string | null = null;
  let retryMs = 2000;

  const dispatch = (block: string) => {
    let type = "message";
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(":") || line === "") continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") type = value;
      else if (field === "data") data.push(value);
      else if (field === "id") lastId = value;
      else if (field === "retry" && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (data.length === 0) return;
    let parsed: unknown = data.join("\n");
    try {
      parsed = JSON.parse(parsed as string);
    } catch {
      // Not JSON: hand over the text.
    }
    options.onEvent(type, parsed);
  };

  const follow = async () => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.key}`,
      accept: "text/event-stream",
    };
    if (lastId) headers["last-event-id"] = lastId;
    const res = await fetch("/v1/events", { headers, signal: abort.signal });
    if (res.status === 401) return "unauthorized" as const;
    if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
    options.onState("live");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return "ended" as const;
      buffer += value;
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = blocks.pop() ?? "";
      for (const block of blocks) dispatch(block);
    }
  };

  (async () => {
    while (!abort.signal.aborted) {
      options.onState("connecting");
      try {
        if ((await follow()) === "unauthorized") return options.onState("unauthorized");
      } catch {
        if (abort.signal.aborted) return;
      }
      options.onState("offline");
      await new Promise((r) => setTimeout(r, retryMs));
    }
  })();
  return () => abort.abort();
}
