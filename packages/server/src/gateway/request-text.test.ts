import { describe, expect, it } from "vitest";
import { requestText } from "./request-text.js";

const forward = (text: string, change: (p: Record<string, unknown>) => Record<string, unknown>) => {
  const original = JSON.parse(text) as Record<string, unknown>;
  return requestText(text, original, change(original));
};

describe("requestText", () => {
  it("passes the caller's bytes when nothing changed", () => {
    const text = ' {"model":"m",  "messages":[{"role":"user","content":"é \\u00e9"}]}\n';
    expect(forward(text, (p) => p)).toBe(text);
  });

  it("splices added fields in before the caller's, keeping their bytes", () => {
    const text = '{ "model" : "m", "messages": [ {"role":"user","content":"hi\\u0021"} ] }';
    const out = forward(text, (p) => ({
      ...p,
      max_completion_tokens: 4096,
      stream_options: { include_usage: true },
    }));
    expect(out).toBe(
      '{"max_completion_tokens":4096,"stream_options":{"include_usage":true}, "model" : "m", "messages": [ {"role":"user","content":"hi\\u0021"} ] }',
    );
    expect(JSON.parse(out)).toEqual({
      model: "m",
      messages: [{ role: "user", content: "hi!" }],
      max_completion_tokens: 4096,
      stream_options: { include_usage: true },
    });
  });

  it("an empty object takes the fields alone", () => {
    expect(forward("{ }", (p) => ({ ...p, max_tokens: 5 }))).toBe('{"max_tokens":5 }');
  });

  it("serializes anew when a field the caller sent changes or goes", () => {
    const text = '{"model":"big","max_tokens":900,"messages":[]}';
    expect(forward(text, (p) => ({ ...p, model: "small" }))).toBe(
      '{"model":"small","max_tokens":900,"messages":[]}',
    );
    expect(forward(text, (p) => ({ ...p, max_tokens: 100 }))).toBe(
      '{"model":"big","max_tokens":100,"messages":[]}',
    );
    expect(forward(text, ({ max_tokens: _, ...rest }) => rest)).toBe('{"model":"big","messages":[]}');
  });
});
