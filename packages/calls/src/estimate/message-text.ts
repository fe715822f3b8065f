/** The countable content of a prompt: its text pieces and how many images or files it attaches. */
export interface PromptContent {
  /** One entry per message: its role and concatenated text (tool calls and results included). */
  messages: { role: string; text: string }[];
  /** Images and other binary attachments, which are not text and are estimated per item. */
  attachments: number;
}

// Binary payloads and bookkeeping keys: counting them as text would inflate the estimate wildly.
const SKIPPED_KEYS = new Set([
  "type",
  "id",
  "role",
  "cache_control",
  "providerOptions",
  "providerMetadata",
  "providerExecuted",
  "signature",
  "mediaType",
  "media_type",
  "mimeType",
  "detail",
  "toolCallId",
  "tool_call_id",
  "tool_use_id",
  "call_id",
]);
// Structured values the model reads as JSON text (tool inputs, schemas).
const JSON_KEYS = new Set(["input", "arguments", "parameters", "input_schema", "schema", "args"]);
const ATTACHMENT_TYPES = new Set([
  "image",
  "image_url",
  "input_image",
  "file",
  "input_file",
  "document",
  "input_audio",
  "audio",
]);

function collect(value: unknown, out: { parts: string[]; attachments: number }): void {
  if (typeof value === "string") {
    out.parts.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, out);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  if (typeof record.type === "string" && ATTACHMENT_TYPES.has(record.type)) {
    out.attachments += 1;
    return;
  }
  for (const [k, v] of Object.entries(record)) {
    if (SKIPPED_KEYS.has(k)) continue;
    if (JSON_KEYS.has(k) && typeof v === "object" && v !== null) out.parts.push(JSON.stringify(v));
    else collect(v, out);
  }
}

/** The text and attachments of one message-like value (a string, a content-part list or a message). */
export function contentOf(value: unknown): { text: string; attachments: number } {
  const out = { parts: [] as string[], attachments: 0 };
  collect(value, out);
  return { text: out.parts.join(""), attachments: out.attachments };
}

/**
 * Reads a prompt in any of the shapes the integrations see: OpenAI chat `messages`, Responses
 * `input` (a string or items), Anthropic `system` + `messages`, an AI SDK prompt; tool definitions
 * are counted as one extra message of JSON.
 */
export function promptContent(input: {
  system?: unknown;
  messages?: unknown;
  tools?: unknown;
}): PromptContent {
  const messages: PromptContent["messages"] = [];
  let attachments = 0;
  const add = (role: string, value: unknown) => {
    const c = contentOf(value);
    messages.push({ role, text: c.text });
    attachments += c.attachments;
  };
  if (input.system !== undefined && input.system !== null) add("system", input.system);
  const list =
    typeof input.messages === "string" ? [{ role: "user", content: input.messages }] : input.messages;
  if (Array.isArray(list)) {
    for (const m of list) {
      const role = typeof m === "object" && m !== null && typeof m.role === "string" ? m.role : "user";
      add(role, m);
    }
  }
  if (Array.isArray(input.tools) && input.tools.length > 0)
    messages.push({ role: "tools", text: JSON.stringify(input.tools) });
  return { messages, attachments };
}
