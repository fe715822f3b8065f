import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { problemResponse } from "./problem.js";

/** The request body as text, or a 413 problem past `maxBytes`. */
export type BodyText = { ok: true; text: string } | { ok: false; res: Response };

const tooLarge = (maxBytes: number): BodyText => ({
  ok: false,
  res: problemResponse({
    status: 413,
    code: "payload_too_large",
    detail: `request body over ${maxBytes} bytes`,
  }),
});

const capped = (text: string, maxBytes: number): BodyText =>
  Buffer.byteLength(text) > maxBytes ? tooLarge(maxBytes) : { ok: true, text };

/** A body the parser has received whole: taken from the stream's buffer at once. */
function takeBuffered(incoming: IncomingMessage, maxBytes: number): BodyText {
  const data: Buffer | string | null = incoming.read();
  if (data === null) return { ok: true, text: "" };
  if (typeof data === "string") return capped(data, maxBytes);
  return data.length > maxBytes ? tooLarge(maxBytes) : { ok: true, text: data.toString("utf8") };
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<BodyText> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.removeAllListeners("data");
        incoming.resume();
        resolve(tooLarge(maxBytes));
      } else chunks.push(chunk);
    });
    incoming.once("end", () => resolve({ ok: true, text: Buffer.concat(chunks).toString("utf8") }));
    incoming.once("error", reject);
  });
}

/**
 * Reads the body with a size cap. On Node it reads the `IncomingMessage` directly: building a
 * web `Request` body stream costs more than the rest of a reserve. A small body usually arrives
 * with the headers, so by the time a handler asks the message is complete and is read without
 * waiting for stream events.
 */
export function readBodyText(c: Context, maxBytes: number): BodyText | Promise<BodyText> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  // From node's own header object when there is one: `c.req.header` builds a web `Headers` first.
  const length = incoming ? incoming.headers["content-length"] : c.req.header("content-length");
  const declared = Number(length ?? Number.NaN);
  if (declared > maxBytes) return tooLarge(maxBytes);
  if (incoming && !incoming.readableDidRead && incoming.readableFlowing === null)
    return incoming.complete ? takeBuffered(incoming, maxBytes) : readIncoming(incoming, maxBytes);
  return c.req.text().then((text) => capped(text, maxBytes));
}
