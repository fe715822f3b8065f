import { readFile } from "node:fs/promises";
import type { Clock } from "@budget/core";
import { systemClock } from "@budget/core";
import { parse as parseYaml } from "yaml";
import { parseJson } from "./fetch-json.js";
import type { PriceQuote, PriceSource } from "./price-source.js";
import { PriceSourceError } from "./price-source.js";
import { priceFileSchema } from "./quote-schema.js";

/** Options of {@link createFileSource}. */
export interface FileSourceOptions {
  /** A `.json`, `.yaml` or `.yml` file of quotes in Budget's own format. */
  path: string;
  /** Default 0.9: a file an operator wrote is trusted, but below manual overrides. */
  trust?: number;
  /** Refuse files larger than this; default 5 MB. */
  maxBytes?: number;
  clock?: Clock;
  id?: string;
}

/**
 * `FilePriceSource`: prices from a local JSON or YAML file, zod-validated.
 *
 * @example
 * // prices.yaml
 * // quotes:
 * //   - { provider: acme, model: acme-1, tokenRates: { input: "1.5", output: "6" }, unitRates: {} }
 * createFileSource({ path: "prices.yaml" });
 */
export function createFileSource(options: FileSourceOptions): PriceSource {
  const id = options.id ?? "file";
  const clock = options.clock ?? systemClock;
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  return {
    id,
    trust: options.trust ?? 0.9,
    async fetch() {
      let text: string;
      try {
        text = await readFile(options.path, "utf8");
      } catch (err) {
        throw new PriceSourceError(id, "network", `cannot read ${options.path}: ${(err as Error).message}`);
      }
      if (Buffer.byteLength(text) > maxBytes) {
        throw new PriceSourceError(id, "too_large", `${options.path} exceeds ${maxBytes} bytes`);
      }
      const quotes = parseQuoteFile(id, options.path, text);
      return { sourceId: id, fetchedAt: clock.now(), quotes };
    },
  };
}

/** Parses and validates the text of a price file (YAML when the path ends in `.yaml`/`.yml`). */
export function parseQuoteFile(sourceId: string, path: string, text: string): PriceQuote[] {
  let raw: unknown;
  if (/\.ya?ml$/i.test(path)) {
    try {
      raw = parseYaml(text);
    } catch (err) {
      throw new PriceSourceError(sourceId, "invalid_json", `not YAML: ${(err as Error).message}`);
    }
  } else {
    raw = parseJson(sourceId, text);
  }
  const parsed = priceFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PriceSourceError(sourceId, "invalid_feed", `${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data.quotes.map(stripUndefined);
}

/** Drops keys zod left as `undefined`, so quotes compare and store cleanly. */
function stripUndefined(q: unknown): PriceQuote {
  return JSON.parse(JSON.stringify(q)) as PriceQuote;
}
