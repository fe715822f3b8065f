import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake upstream received. */
export interface FakeRequest {
  method: string;
  path: string;
  /** The query string, without `?`. */
  query: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/** How the fake answers; a prompt may override per request with `[[name=value]]` directives. */
export interface FakeUpstreamOptions {
  /** The key it accepts; others get a 401 that echoes the key received (as some providers do, partly). */
  key: string;
  /** Delay before the response headers (ms). */
  latencyMs?: number;
  /** Output chunks of a streamed answer (each one token, `"ok "`), and of a plain one. */
  chunks?: number;
  /** Delay between stream chunks (ms). */
  chunkIntervalMs?: number;
  /** Prompt tokens it reports. */
  promptTokens?: number;
}

/** A loopback server speaking OpenAI's and Anthropic's wire formats. */
export interface FakeUpstream {
  /** `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  readonly requests: FakeRequest[];
  /** Streams whose client went away before their end. */
  readonly disconnects: number;
  close(): Promise<void>;
}

interface Plan {
  latencyMs: number;
  chunks: number;
  intervalMs: number;
  promptTokens: number;
  /** Destroy the connection after this many chunks (a broken stream). */
  dropAfter: number;
  fail: number | null;
  /** Omit usage entirely (a server that never reports it). */
  noUsage: boolean;
}

function planOf(body: Record<string, unknown>, o: FakeUpstreamOptions): Plan {
  const text = JSON.stringify(body.messages ?? body.input ?? "");
  const num = (name: string, dflt: number) => {
    const m = new RegExp(`\\[\\[${name}=(\\d+)\\]\\]`).exec(text);
    return m ? Number(m[1]) : dflt;
  };
  const fail = num("fail", 0);
  return {
    latencyMs: num("latency", o.latencyMs ?? 0),
    chunks: num("chunks", o.chunks ?? 5),
    intervalMs: num("interval", o.chunkIntervalMs ?? 0),
    promptTokens: o.promptTokens ?? 11,
    dropAfter: num("drop", Number.POSITIVE_INFINITY),
    fail: fail === 0 ? null : fail,
    noUsage: text.includes("[[nousage]]"),
  };
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        // Like a real provider, anything but a JSON object is an empty request (answered 4xx or a default).
        resolve(
          parsed && typeof parsed === "object" && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : {},
        );
      } catch {
        resolve({});
      }
    });
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_fake" });
  res.end(JSON.stringify(body));
}

type Event = { event?: string; data: unknown };

/** Writes `events` one per interval, honouring `dropAfter`; counts a client that leaves early. */
async function stream(res: ServerResponse, events: Event[], plan: Plan, state: { disconnects: number }) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  let closed = false;
  res.on("close", () => {
    if (!res.writableEnded) {
      closed = true;
      state.disconnects += 1;
    }
  });
  for (let i = 0; i < events.length; i++) {
    if (closed) return;
    if (i >= plan.dropAfter) {
      res.destroy();
      return;
    }
    const e = events[i] as Event;
    res.write(
      `${e.event ? `event: ${e.event}\n` : ""}data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`,
    );
    await sleep(plan.intervalMs);
  }
  res.end();
}

function openaiChat(body: Record<string, unknown>, plan: Plan): { plain: unknown; events: Event[] } {
  const usage = {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.chunks,
    total_tokens: plan.promptTokens + plan.chunks,
  };
  const base = { id: "chatcmpl-fake", created: 0, model: body.model };
  const plain = {
    ...base,
    object: "chat.completion",
    choices: [
      { index: 0, message: { role: "assistant", content: "ok ".repeat(plan.chunks) }, finish_reason: "stop" },
    ],
    ...(plan.noUsage ? {} : { usage }),
  };
  const chunk = (choices: unknown[], extra = {}) => ({
    data: { ...base, object: "chat.completion.chunk", choices, ...extra },
  });
  const events: Event[] = [
    chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]),
  ];
  for (let i = 0; i < plan.chunks; i++)
    events.push(chunk([{ index: 0, delta: { content: "ok " }, finish_reason: null }]));
  events.push(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
  const asked = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  if (asked && !plan.noUsage) events.push(chunk([], { usage }));
  events.push({ data: "[DONE]" });
  return { plain, events };
}

function openaiResponses(body: Record<string, unknown>, plan: Plan): { plain: unknown; events: Event[] } {
  const usage = {
    input_tokens: plan.promptTokens,
    output_tokens: plan.chunks,
    total_tokens: plan.promptTokens + plan.chunks,
  };
  const response = {
    id: "resp_fake",
    object: "response",
    model: body.model,
    status: "completed",
    output: [],
    usage,
  };
  const events: Event[] = [
    { event: "response.created", data: { type: "response.created", response: { ...response, usage: null } } },
  ];
  for (let i = 0; i < plan.chunks; i++)
    events.push({
      event: "response.output_text.delta",
      data: { type: "response.output_text.delta", delta: "ok " },
    });
  if (!plan.noUsage)
    events.push({ event: "response.completed", data: { type: "response.completed", response } });
  return { plain: response, events };
}

function anthropicMessages(body: Record<string, unknown>, plan: Plan): { plain: unknown; events: Event[] } {
  const usage = {
    input_tokens: plan.promptTokens,
    output_tokens: plan.chunks,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  };
  const message = {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: body.model,
    stop_reason: "end_turn",
    stop_sequence: null,
  };
  const plain = { ...message, content: [{ type: "text", text: "ok ".repeat(plan.chunks) }], usage };
  const ev = (type: string, data: Record<string, unknown>) => ({ event: type, data: { type, ...data } });
  const events: Event[] = [
    ev("message_start", {
      message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
    }),
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ];
  for (let i = 0; i < plan.chunks; i++)
    events.push(ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "ok " } }));
  events.push(ev("content_block_stop", { index: 0 }));
  if (!plan.noUsage)
    events.push(
      ev("message_delta", {
        delta: { stop_reason: "end_turn", stop_sequence: null },
        usage: { output_tokens: plan.chunks },
      }),
    );
  events.push(ev("message_stop", {}));
  return { plain, events };
}

function keyOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) return auth.slice(7);
  return (req.headers["x-api-key"] as string | undefined) ?? (req.headers["api-key"] as string | undefined);
}

/**
 * Starts a fake upstream on 127.0.0.1: OpenAI `chat/completions`, `responses`, `embeddings`,
 * `models`, and Anthropic `messages` and `messages/count_tokens`, plain and streamed, with
 * latency, chunk count and interval, broken streams (`[[drop=N]]`), failures (`[[fail=503]]`) and
 * usage-less answers (`[[nousage]]`) chosen per request in the prompt.
 */
export async function startFakeUpstream(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const requests: FakeRequest[] = [];
  const state = { disconnects: 0 };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const body = req.method === "GET" ? {} : await readBody(req);
    const query = (req.url ?? "").split("?")[1] ?? "";
    requests.push({ method: req.method ?? "GET", path, query, headers: req.headers, body });
    const given = keyOf(req);
    if (given !== options.key)
      return json(res, 401, {
        error: { message: `Incorrect API key provided: ${given}`, type: "invalid_request_error" },
      });
    const plan = planOf(body, options);
    await sleep(plan.latencyMs);
    if (plan.fail !== null)
      return json(res, plan.fail, {
        error: { message: `failure requested; key was ${given}`, type: "server_error" },
      });
    if (path === "/v1/models")
      return json(res, 200, { object: "list", data: [{ id: "test-model", object: "model" }] });
    if (path === "/v1/embeddings")
      return json(res, 200, {
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
        model: body.model,
        usage: { prompt_tokens: plan.promptTokens, total_tokens: plan.promptTokens },
      });
    if (path === "/v1/messages/count_tokens") return json(res, 200, { input_tokens: plan.promptTokens });
    const shape =
      path === "/v1/chat/completions"
        ? openaiChat(body, plan)
        : path === "/v1/responses"
          ? openaiResponses(body, plan)
          : path === "/v1/messages"
            ? anthropicMessages(body, plan)
            : null;
    if (!shape) return json(res, 404, { error: { message: `no route ${path}` } });
    if (body.stream === true) return stream(res, shape.events, plan, state);
    return json(res, 200, shape.plain);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get disconnects() {
      return state.disconnects;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
