import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { contentOf } from "@budget/calls/estimate";

/** A Messages request the mock received. */
export interface MockAnthropicRequest {
  model: string;
  stream: boolean;
  maxTokens: number;
}

/** A running mock Anthropic Messages API. */
export interface MockAnthropic {
  /** `http://127.0.0.1:<port>`, the `baseURL` of an `@anthropic-ai/sdk` client. */
  readonly baseURL: string;
  readonly requests: MockAnthropicRequest[];
  /** Streams the client closed before `message_stop`. */
  readonly disconnects: number;
  close(): Promise<void>;
}

interface Plan {
  input: number;
  cacheRead: number;
  output: number;
  fail: number | null;
  drop: number | null;
}

/**
 * Deterministic usage from the request: input = text characters / 4 rounded up; `[[tokens=N]]`
 * in the last message asks for N output tokens (capped by max_tokens, else half of it);
 * `[[cache=N]]` reports N cache-read tokens; `[[fail=NNN]]` answers with that status;
 * `[[drop=N]]` destroys a stream's connection after N events (0: right after the headers).
 */
function plan(body: { system?: unknown; messages: unknown[]; max_tokens: number }): Plan {
  const text = contentOf([body.system, body.messages]).text;
  const last = contentOf(body.messages.at(-1)).text;
  const num = (re: RegExp) => {
    const m = re.exec(last);
    return m ? Number(m[1]) : null;
  };
  const asked = num(/\[\[tokens=(\d+)\]\]/);
  return {
    input: Math.ceil(text.length / 4),
    cacheRead: num(/\[\[cache=(\d+)\]\]/) ?? 0,
    output: Math.min(body.max_tokens, asked ?? Math.ceil(body.max_tokens / 2)),
    fail: num(/\[\[fail=(\d{3})\]\]/),
    drop: num(/\[\[drop=(\d+)\]\]/),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
}

/** The SSE events of one streamed message, as the real API sends them. */
function streamEvents(model: string, p: Plan): { event: string; data: Record<string, unknown> }[] {
  const usage = {
    input_tokens: p.input,
    cache_read_input_tokens: p.cacheRead,
    cache_creation_input_tokens: 0,
  };
  const start = { id: "msg_mock", type: "message", role: "assistant", model, content: [], stop_reason: null };
  const e = (event: string, data: Record<string, unknown>) => ({ event, data: { type: event, ...data } });
  const deltas = Array.from({ length: p.output }, (_, i) =>
    e("content_block_delta", { index: 0, delta: { type: "text_delta", text: i === 0 ? "ok" : " ok" } }),
  );
  return [
    e("message_start", { message: { ...start, usage: { ...usage, output_tokens: 1 } } }),
    e("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    ...deltas,
    e("content_block_stop", { index: 0 }),
    e("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: p.output },
    }),
    e("message_stop", {}),
  ];
}

/**
 * Starts a mock Anthropic Messages API on 127.0.0.1 (`POST /v1/messages`, plain and
 * `stream: true`); `delayMs` spaces stream events so a client can abort mid-stream.
 */
export async function startMockAnthropic(options: { delayMs?: number } = {}): Promise<MockAnthropic> {
  const state = { requests: [] as MockAnthropicRequest[], disconnects: 0 };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const { model, messages, max_tokens: maxTokens } = body;
    if (typeof model !== "string" || !Array.isArray(messages) || typeof maxTokens !== "number") {
      return send(res, 400, {
        type: "error",
        error: { type: "invalid_request_error", message: "bad request" },
      });
    }
    const stream = body.stream === true;
    state.requests.push({ model, stream, maxTokens });
    const p = plan({ system: body.system, messages, max_tokens: maxTokens });
    if (p.fail)
      return send(res, p.fail, { type: "error", error: { type: "api_error", message: "requested" } });
    const text = Array.from({ length: p.output }, () => "ok").join(" ");
    if (!stream) {
      return send(res, 200, {
        id: "msg_mock",
        type: "message",
        role: "assistant",
        model,
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: p.input, cache_read_input_tokens: p.cacheRead, output_tokens: p.output },
      });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    const events = streamEvents(model, p);
    let i = 0;
    res.on("close", () => {
      if (i < events.length) state.disconnects += 1;
    });
    for (const { event, data } of events) {
      if (res.destroyed) return;
      if (i === p.drop) {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        res.destroy();
        return;
      }
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      i += 1;
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    }
    res.end();
  };
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url?.startsWith("/v1/messages")) {
      handle(req, res).catch(() =>
        send(res, 400, { type: "error", error: { type: "invalid_request_error" } }),
      );
    } else send(res, 404, { type: "error", error: { type: "not_found_error", message: req.url } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: state.requests,
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
