import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { relaySse } from "./sse-relay.js";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let out = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) out += decoder.decode(chunk, { stream: true });
  return out;
}

function setup(observe: (data: unknown) => boolean | undefined = () => true) {
  const source = new PassThrough();
  const seen: unknown[] = [];
  const ends: string[] = [];
  const stream = relaySse(source, {
    observe: (d) => {
      seen.push(d);
      return observe(d);
    },
    ended: () => ends.push("ended"),
    failed: () => ends.push("failed"),
    cancelled: () => ends.push("cancelled"),
  });
  return { source, seen, ends, stream };
}

describe("relaySse", () => {
  it("passes events byte for byte across chunk boundaries (LF, CRLF, comments, [DONE], multi-byte text)", async () => {
    const { source, seen, ends, stream } = setup();
    const text = ': keep-alive\n\nevent: x\ndata: {"a":"é😀"}\r\n\r\ndata: {"b":1}\n\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text, "utf8");
    const reading = readAll(stream);
    // One byte at a time: boundaries and code points split everywhere.
    for (const b of bytes) source.write(Buffer.from([b]));
    source.end();
    expect(await reading).toBe(text);
    expect(seen).toEqual([{ a: "é😀" }, { b: 1 }]);
    expect(ends).toEqual(["ended"]);
  });

  it("drops the events observe refuses, and only those", async () => {
    const { source, stream } = setup((d) => !(d as { usage?: unknown }).usage);
    const reading = readAll(stream);
    source.end('data: {"x":1}\n\ndata: {"usage":{}}\n\ndata: [DONE]\n\n');
    expect(await reading).toBe('data: {"x":1}\n\ndata: [DONE]\n\n');
  });

  it("a source that breaks off fails the stream once; a cancel destroys the source", async () => {
    const broken = setup();
    const reading = readAll(broken.stream);
    broken.source.write('data: {"x":1}\n\n');
    broken.source.destroy(new Error("socket hang up"));
    await expect(reading).rejects.toThrow("socket hang up");
    expect(broken.ends).toEqual(["failed"]);

    const cancelled = setup();
    const reader = cancelled.stream.getReader();
    cancelled.source.write('data: {"x":1}\n\n');
    await reader.read();
    await reader.cancel();
    expect(cancelled.ends).toEqual(["cancelled"]);
    expect(cancelled.source.destroyed).toBe(true);
  });

  it("events relayed before a failure reach the caller before the error", async () => {
    const { source, stream } = setup();
    const reader = stream.getReader();
    source.write('data: {"x":1}\n\n');
    source.write('data: {"x":2}\n\n');
    await new Promise((r) => setImmediate(r));
    source.destroy(new Error("reset"));
    await new Promise((r) => setImmediate(r));
    const decoder = new TextDecoder();
    let got = "";
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          got += decoder.decode(value);
        }
      })(),
    ).rejects.toThrow("reset");
    expect(got).toBe('data: {"x":1}\n\ndata: {"x":2}\n\n');
  });
});
