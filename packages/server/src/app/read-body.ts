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
 * web `Request` body stream costs more than the rest of a reserve.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<BodyText> {
  const declared = Number(c.req.header("content-length") ?? Number.NaN);
  if (declared > maxBytes) return tooLarge(maxBytes);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && incoming.readableLength === 0 && !incoming.readableDidRead)
    return readIncoming(incoming, maxBytes);
  const text = await c.req.text();
  return Buffer.byteLength(text) > maxBytes ? tooLarge(maxBytes) : { ok: true, text };
}
