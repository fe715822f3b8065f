import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { estimateUsage, maxOutputTokensOf, TOKENS_PER_ATTACHMENT } from "./estimate-usage.js";
import { promptContent } from "./message-text.js";
import { createOutputTally, promptSide } from "./output-tally.js";
import { estimateChatRequest, estimateEmbeddingsRequest } from "./request-estimate.js";
import { heuristicTokenCount, tokenCounterFor } from "./token-counter.js";

describe("tokenCounterFor", () => {
  it("picks OpenAI's encoding by model family, the heuristic elsewhere", async () => {
    expect((await tokenCounterFor("gpt-4o")).method).toBe("o200k_base");
    expect((await tokenCounterFor("openai/o3-mini")).method).toBe("o200k_base");
    expect((await tokenCounterFor("gpt-4.1-mini")).method).toBe("o200k_base");
    expect((await tokenCounterFor("gpt-4-turbo")).method).toBe("cl100k_base");
    expect((await tokenCounterFor("gpt-3.5-turbo")).method).toBe("cl100k_base");
    expect((await tokenCounterFor("claude-sonnet-4-5")).method).toBe("heuristic");
    expect((await tokenCounterFor("gemini-2.5-pro")).method).toBe("heuristic");
  });

  it("counts exactly with each encoding (the two differ)", async () => {
    const text = "Budgets reserve before the call and settle after it.";
    const o200k = await tokenCounterFor("gpt-4o");
    const cl100k = await tokenCounterFor("gpt-4");
    expect(o200k.count(text)).toBe(countTokens(text));
    expect(cl100k.count("tokenization")).toBeGreaterThan(0);
    expect(cl100k.count(" 你好世界 你好世界")).not.toBe(o200k.count(" 你好世界 你好世界"));
  });

  it("heuristic: ASCII at 3.5 characters a token rounded up, one token per other code point", () => {
    expect(heuristicTokenCount("")).toBe(0);
    expect(heuristicTokenCount("abcdefg")).toBe(2);
    expect(heuristicTokenCount("abcdefgh")).toBe(3);
    expect(heuristicTokenCount("日本語")).toBe(3);
    expect(heuristicTokenCount("ab😀")).toBe(2);
    // Conservative against OpenAI's tokenizer on ordinary English.
    const english = "The quarterly report shows spending within the approved budget for every team.";
    expect(heuristicTokenCount(english)).toBeGreaterThan(countTokens(english));
  });
});

describe("promptContent", () => {
  it("reads text parts, tool calls and tool results, and counts attachments", () => {
    const c = promptContent({
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          ],
        },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "lookup", input: { q: "x" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "found" }] },
      ],
      tools: [{ name: "lookup", input_schema: { type: "object" } }],
    });
    expect(c.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "tools"]);
    expect(c.messages[0]?.text).toBe("Be brief.");
    expect(c.messages[1]?.text).toBe("What is this?");
    expect(c.messages[2]?.text).toBe('lookup{"q":"x"}');
    expect(c.messages[3]?.text).toBe("found");
    expect(c.attachments).toBe(1);
  });

  it("reads a Responses string input as one user message", () => {
    expect(promptContent({ messages: "hello" }).messages).toEqual([{ role: "user", text: "hello" }]);
  });
});

describe("estimateUsage", () => {
  it("adds chat framing, attachments and the output cap (or the default)", async () => {
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: "hi" },
          { type: "image_url", image_url: { url: "data:..." } },
        ],
      },
    ];
    const e = await estimateUsage({ model: "gpt-4o", messages, maxOutputTokens: 300 });
    expect(e.method).toBe("o200k_base");
    expect(e.usage).toEqual({
      inputTokens: 3 + 3 + countTokens("user") + countTokens("hi") + TOKENS_PER_ATTACHMENT,
      outputTokens: 300,
    });
    const d = await estimateUsage({ model: "claude-x", messages: "hi", defaultMaxOutputTokens: 77 });
    expect(d.usage.outputTokens).toBe(77);
    expect((await estimateUsage({ model: "m" })).usage.outputTokens).toBe(4096);
    const forced = await estimateUsage({
      model: "proxy-model",
      messages: "hello world",
      tokenizer: "o200k_base",
    });
    expect(forced.method).toBe("o200k_base");
  });

  it("finds the output cap under each SDK's name", () => {
    expect(maxOutputTokensOf({ max_tokens: 5 })).toBe(5);
    expect(maxOutputTokensOf({ max_completion_tokens: 6, max_tokens: 5 })).toBe(6);
    expect(maxOutputTokensOf({ max_output_tokens: 7 })).toBe(7);
    expect(maxOutputTokensOf({ maxOutputTokens: 8 })).toBe(8);
    expect(maxOutputTokensOf({ max_tokens: null })).toBeUndefined();
  });
});

describe("createOutputTally", () => {
  it("counts the joined output once (tokens span deltas), reasoning as its subset", async () => {
    const tally = createOutputTally(await tokenCounterFor("gpt-4o"));
    for (const d of ["Budg", "ets res", "erve"]) tally.text(d);
    tally.reasoning("Think first.");
    const reasoning = countTokens("Think first.");
    expect(tally.usage({ inputTokens: 12, cacheReadTokens: 3 })).toEqual({
      inputTokens: 12,
      cacheReadTokens: 3,
      outputTokens: countTokens("Budgets reserve") + reasoning,
      reasoningTokens: reasoning,
    });
  });

  it("promptSide keeps the input side of a usage", () => {
    expect(
      promptSide({ inputTokens: 5, cacheWriteTokens: 2, outputTokens: 9, reasoningTokens: 1, requests: 1 }),
    ).toEqual({
      inputTokens: 5,
      cacheWriteTokens: 2,
      requests: 1,
    });
  });
});

describe("request estimates", () => {
  it("a chat request reserves its output cap once per choice", async () => {
    const messages = [{ role: "user", content: "hi" }];
    const one = await estimateChatRequest({ model: "gpt-4o", messages, max_tokens: 100 });
    const three = await estimateChatRequest({ model: "gpt-4o", messages, max_tokens: 100, n: 3 });
    expect(one.usage.outputTokens).toBe(100);
    expect(three.usage).toEqual({ inputTokens: one.usage.inputTokens, outputTokens: 300 });
  });

  it("an embeddings request counts every input, strings and token arrays, and no output", async () => {
    const e = await estimateEmbeddingsRequest({
      model: "text-embedding-3-small",
      input: ["hello world", "hi"],
    });
    expect(e?.usage).toEqual({
      inputTokens: countTokens("hello world") + countTokens("hi"),
      outputTokens: 0,
    });
    expect((await estimateEmbeddingsRequest({ model: "m", input: [1, 2, 3] }))?.usage.inputTokens).toBe(3);
    expect((await estimateEmbeddingsRequest({ model: "m", input: [[1, 2], [3]] }))?.usage.inputTokens).toBe(
      3,
    );
    expect(await estimateEmbeddingsRequest({ model: "m", input: 42 })).toBeNull();
    expect(await estimateEmbeddingsRequest({ model: "m", input: [] })).toBeNull();
  });
});
