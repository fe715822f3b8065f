import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANTHROPIC_UPSTREAM_KEY,
  type GatewayHarness,
  OPENAI_UPSTREAM_KEY,
  startGatewayHarness,
} from "../testing/gateway-harness.js";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
  });
});
afterAll(() => h.close());

const messages = (content: string) => [{ role: "user", content }];

/** One call through the gateway: its status, headers and whole body as text (streams read to the end). */
async function call(path: string, headers: Record<string, string>, body: Record<string, unknown>) {
  const res = await fetch(`${h.url}/gateway/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  // Read to the end, or as far as a stream broken off midway goes.
  let text = "";
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body ?? []) text += decoder.decode(chunk, { stream: true });
  } catch {
    // The broken stream: what arrived is checked all the same.
  }
  return { status: res.status, headers: JSON.stringify([...res.headers]), text };
}

describe("gateway: an upstream's key never reaches another upstream, nor the caller, nor a log", () => {
  it("with an OpenAI and an Anthropic upstream, each sees only its own key; answers and logs carry neither", async () => {
    // The caller offers its Budget key in every header an upstream reads its key from.
    const asCaller = {
      authorization: `Bearer ${h.gatewayKey}`,
      "x-api-key": h.gatewayKey,
      "api-key": h.gatewayKey,
    };
    const answers = [
      await call("openai/v1/chat/completions", asCaller, {
        model: "test-model",
        messages: messages("Say ok."),
        max_tokens: 20,
      }),
      await call("openai/v1/chat/completions", asCaller, {
        model: "test-model",
        messages: messages("Say ok."),
        max_tokens: 20,
        stream: true,
      }),
      await call("openai/v1/responses", asCaller, {
        model: "test-model",
        input: "Say ok.",
        max_output_tokens: 20,
      }),
      await call("anthropic/v1/messages", asCaller, {
        model: "test-model",
        max_tokens: 20,
        messages: messages("Say ok."),
      }),
      await call("anthropic/v1/messages", asCaller, {
        model: "test-model",
        max_tokens: 20,
        messages: messages("Say ok."),
        stream: true,
      }),
      await call("anthropic/v1/messages/count_tokens", asCaller, {
        model: "test-model",
        messages: messages("Say ok."),
      }),
      // Streams broken off midway (the gateway logs a warning for each).
      await call("openai/v1/chat/completions", asCaller, {
        model: "test-model",
        messages: messages("Say ok. [[drop=3]]"),
        max_tokens: 20,
        stream: true,
      }),
      await call("anthropic/v1/messages", asCaller, {
        model: "test-model",
        max_tokens: 20,
        messages: messages("Say ok. [[drop=4]]"),
        stream: true,
      }),
      // An upstream failure whose message echoes the key it was given.
      await call("openai/v1/chat/completions", asCaller, {
        model: "test-model",
        messages: messages("Say ok. [[fail=503]]"),
        max_tokens: 20,
      }),
      await call("anthropic/v1/messages", asCaller, {
        model: "test-model",
        max_tokens: 20,
        messages: messages("Say ok. [[fail=503]]"),
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 503, 503]);

    expect(h.openai.requests.length).toBe(5);
    expect(h.anthropic.requests.length).toBe(5);
    for (const r of h.openai.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${OPENAI_UPSTREAM_KEY}`);
      const seen = JSON.stringify([r.headers, r.body, r.query]);
      expect(seen).not.toContain(ANTHROPIC_UPSTREAM_KEY);
      expect(seen).not.toContain(h.gatewayKey);
      expect(seen.split(OPENAI_UPSTREAM_KEY).length).toBe(2); // once: its own authorization header
    }
    for (const r of h.anthropic.requests) {
      expect(r.headers["x-api-key"]).toBe(ANTHROPIC_UPSTREAM_KEY);
      const seen = JSON.stringify([r.headers, r.body, r.query]);
      expect(seen).not.toContain(OPENAI_UPSTREAM_KEY);
      expect(seen).not.toContain(h.gatewayKey);
      expect(seen.split(ANTHROPIC_UPSTREAM_KEY).length).toBe(2); // once: its own x-api-key header
    }

    for (const a of answers) {
      const out = a.headers + a.text;
      expect(out).not.toContain(OPENAI_UPSTREAM_KEY);
      expect(out).not.toContain(ANTHROPIC_UPSTREAM_KEY);
      expect(out).not.toContain(h.gatewayKey);
    }
    await expect.poll(() => h.logs.join("")).toContain("stream broke off");
    const logs = h.logs.join("");
    expect(logs).not.toContain(OPENAI_UPSTREAM_KEY);
    expect(logs).not.toContain(ANTHROPIC_UPSTREAM_KEY);
    expect(logs).not.toContain(h.gatewayKey);
  });
});
