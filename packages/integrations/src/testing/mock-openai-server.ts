import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type MockMessage, planCompletion } from "./mock-completion.js";

/** A request the mock received, for assertions. */
export interface MockChatRequest {
  model: string;
  stream: boolean;
  maxTokens: number | null;
  /** The field the output cap came in. */
  capField: "max_completion_tokens" | "max_tokens" | null;
  messages: MockMessage[];
}

/** A running mock OpenAI-compatible server. */
export interface MockOpenAI {
  /** `http://127.0.0.1:<port>/v1`, the `baseURL` of an `openai` client. */
  readonly baseURL: string;
  readonly port: number;
  /** Chat requests received so far, oldest first. */
  readonly requests: MockChatRequest[];
  close(): Promise<void>;
}

interface ChatBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch (err) {
        reject(err);
      }
    });
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string) {
  sendJson(res, status, { error: { message, type: "mock_error", param: null, code: `mock_${status}` } });
}

function numberOrNull(v: unknown): number | null {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null;
}

async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  state: { n: number; log: MockChatRequest[] },
) {
  const body = (await readJson(req)) as ChatBody;
  if (typeof body.model !== "string" || !Array.isArray(body.messages)) {
    return sendError(res, 400, "model and messages are required");
  }
  const messages = body.messages as MockMessage[];
  const maxTokens = numberOrNull(body.max_completion_tokens) ?? numberOrNull(body.max_tokens);
  const stream = body.stream === true;
  const capField =
    numberOrNull(body.max_completion_tokens) !== null
      ? "max_completion_tokens"
      : numberOrNull(body.max_tokens) !== null
        ? "max_tokens"
        : null;
  state.log.push({ model: body.model, stream, maxTokens, capField, messages });
  const plan = planCompletion({ messages, maxTokens });
  if (plan.failStatus !== null) return sendError(res, plan.failStatus, "failure requested by the prompt");
  const id = `chatcmpl-mock-${++state.n}`;
  const finish = maxTokens !== null && plan.completionTokens >= maxTokens ? "length" : "stop";
  const usage = {
    prompt_tokens: plan.promptTokens,
    completion_tokens: plan.completionTokens,
    total_tokens: plan.promptTokens + plan.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
  const base = { id, created: 0, model: body.model, system_fingerprint: "fp_mock" };
  if (!stream) {
    return sendJson(res, 200, {
      ...base,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: plan.content, refusal: null },
          finish_reason: finish,
          logprobs: null,
        },
      ],
      usage,
    });
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })}\n\n`);
  chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  // Words of the reply in a few pieces, like a real stream.
  const words = plan.content.split(" ").filter(Boolean);
  for (let i = 0; i < words.length; i += 8) {
    const piece = (i === 0 ? "" : " ") + words.slice(i, i + 8).join(" ");
    chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
  }
  chunk([{ index: 0, delta: {}, finish_reason: finish }]);
  if (body.stream_options?.include_usage === true) chunk([], { usage });
  res.end("data: [DONE]\n\n");
}

/**
 * Starts a mock OpenAI-compatible server on 127.0.0.1: `POST /v1/chat/completions` (plain and
 * streaming, with usage on the last chunk when `stream_options.include_usage` is set) and
 * `GET /v1/models`. Its usage is derived from the request only, so results are deterministic;
 * see {@link planCompletion} for the rules and the `[[tokens=N]]` / `[[fail=NNN]]` directives.
 *
 * @example
 * const mock = await startMockOpenAI();
 * const openai = new OpenAI({ baseURL: mock.baseURL, apiKey: "test" });
 */
export async function startMockOpenAI(options: { port?: number } = {}): Promise<MockOpenAI> {
  const state = { n: 0, log: [] as MockChatRequest[] };
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "POST" && path === "/v1/chat/completions") {
      handleChat(req, res, state).catch(() => sendError(res, 400, "invalid JSON body"));
    } else if (req.method === "GET" && path === "/v1/models") {
      sendJson(res, 200, { object: "list", data: [] });
    } else {
      sendError(res, 404, `no route for ${req.method} ${path}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests: state.log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
