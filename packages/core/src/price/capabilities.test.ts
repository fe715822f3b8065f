import { describe, expect, it } from "vitest";
import { checkCapabilities, mergeCapabilities } from "./capabilities.js";

describe("capabilities", () => {
  it("a requirement is met only by a published fact: false is missing, absent is unknown", () => {
    const caps = { tools: true, reasoning: false, contextWindow: 8000, input: { image: true } };
    expect(
      checkCapabilities(caps, { capabilities: ["tools"], input: ["image"], minContextTokens: 8000 }),
    ).toEqual({
      ok: true,
      missing: [],
      unknown: [],
    });
    expect(
      checkCapabilities(caps, {
        capabilities: ["reasoning", "batch"],
        input: ["audio"],
        minContextTokens: 9000,
        minOutputTokens: 10,
      }),
    ).toEqual({
      ok: false,
      missing: ["reasoning", "contextWindow>=9000"],
      unknown: ["batch", "input.audio", "maxOutputTokens>=10"],
    });
    expect(checkCapabilities(undefined, undefined).ok).toBe(true);
    expect(checkCapabilities(undefined, { capabilities: ["tools"] }).unknown).toEqual(["tools"]);
  });

  it("merging keeps what one source said where the other is silent", () => {
    expect(
      mergeCapabilities(
        { tools: true, input: { image: true } },
        { contextWindow: 5, input: { audio: false } },
      ),
    ).toEqual({
      tools: true,
      contextWindow: 5,
      input: { image: true, audio: false },
    });
    expect(mergeCapabilities({ tools: true }, { tools: false })).toEqual({ tools: false });
    expect(mergeCapabilities(undefined, {})).toBeUndefined();
  });
});
