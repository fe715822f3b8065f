import { gunzipSync } from "node:zlib";
import { type FetchLike, isPriceSourceError, PriceSourceError } from "./price-source.js";

/** Limits applied to every network read of a price feed. */
export interface FetchJsonOptions {
  sourceId: string;
  url: string;
  fetch?: FetchLike | undefined;
  /** Abort when the (decompressed) body grows past this many bytes; default 20 MB. */
  maxBytes?: number | undefined;
  /** Abort when the whole exchange, body included, takes longer; default 30 s. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  headers?: Record<string, string> | undefined;
}

/** Default cap on a feed body: the largest real feed (LiteLLM) is about 1.5 MB. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** Default time allowed for one feed fetch. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Fetches a JSON feed with a timeout and a byte cap enforced while streaming (a huge or endless
 * body is abandoned as soon as it passes the cap), gunzips gzip bodies, and parses JSON.
 * Every failure is a {@link PriceSourceError} with a reason.
 */
export async function fetchJson(options: FetchJsonOptions): Promise<unknown> {
  const { sourceId } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const doFetch = options.fetch ?? globalThis.fetch;
  try {
    const res = await doFetch(options.url, {
      signal,
      headers: { accept: "application/json", ...options.headers },
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new PriceSourceError(sourceId, "http_status", `HTTP ${res.status}`, { status: res.status });
    }
    const declared = Number(res.headers.get("content-length") ?? Number.NaN);
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw tooLarge(sourceId, maxBytes, declared);
    }
    const raw = await readCapped(sourceId, res, maxBytes);
    return parseJson(sourceId, maybeGunzip(sourceId, raw, maxBytes));
  } catch (err) {
    throw classify(sourceId, err, timeout, options.signal);
  }
}

async function readCapped(sourceId: string, res: Response, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(sourceId, maxBytes, total);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function maybeGunzip(sourceId: string, raw: Buffer, maxBytes: number): Buffer {
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError) throw tooLarge(sourceId, maxBytes, null);
    throw new PriceSourceError(sourceId, "invalid_json", `gzip body is corrupt: ${String(err)}`);
  }
}

/** Parses JSON text, turning a syntax error (e.g. a truncated body) into a typed failure. */
export function parseJson(sourceId: string, body: Buffer | string): unknown {
  try {
    return JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch (err) {
    throw new PriceSourceError(sourceId, "invalid_json", `body is not JSON: ${(err as Error).message}`);
  }
}

function tooLarge(sourceId: string, maxBytes: number, seen: number | null): PriceSourceError {
  return new PriceSourceError(sourceId, "too_large", `body exceeds ${maxBytes} bytes`, {
    maxBytes,
    ...(seen === null ? {} : { seenBytes: seen }),
  });
}

function classify(sourceId: string, err: unknown, timeout: AbortSignal, outer?: AbortSignal) {
  if (isPriceSourceError(err)) return err;
  if (timeout.aborted) return new PriceSourceError(sourceId, "timeout", "timed out");
  if (outer?.aborted) return new PriceSourceError(sourceId, "aborted", "aborted");
  return new PriceSourceError(sourceId, "network", `fetch failed: ${(err as Error)?.message ?? err}`);
}
