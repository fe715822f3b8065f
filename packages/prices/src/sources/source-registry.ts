import { createFileSource } from "./file-source.js";
import { createGenaiPricesRemoteSource } from "./genai-remote-source.js";
import { createLitellmSource } from "./litellm-source.js";
import { createOpenRouterSource } from "./openrouter-source.js";
import type { PriceSource } from "./price-source.js";
import { REMOTE_PRICE_SOURCE_TYPES, type RemotePriceSourceType } from "./source-types.js";

export { REMOTE_PRICE_SOURCE_TYPES, type RemotePriceSourceType };

/**
 * The remote price feeds by name, for the server's config and the CLI's `--source`. Adding a feed
 * is its source file, its name in `source-types.ts` and one line here.
 */
const REMOTE_SOURCES = {
  litellm: createLitellmSource,
  openrouter: createOpenRouterSource,
  "genai-prices": createGenaiPricesRemoteSource,
} as const satisfies Record<RemotePriceSourceType, (options: { url?: string }) => PriceSource>;

/** A fetched price source, named: a remote feed (optionally at another URL) or a local quote file. */
export type PriceSourceSpec =
  | { type: RemotePriceSourceType; url?: string | undefined }
  | { type: "file"; path: string; id?: string | undefined };

/** True when `name` is a remote feed of the registry. */
export function isRemotePriceSourceType(name: string): name is RemotePriceSourceType {
  return Object.hasOwn(REMOTE_SOURCES, name);
}

/**
 * The price source a spec names.
 *
 * @example
 * createPriceSource({ type: "litellm", url: "http://127.0.0.1:8080/prices.json" });
 */
export function createPriceSource(spec: PriceSourceSpec): PriceSource {
  if (spec.type === "file") return createFileSource({ path: spec.path, ...(spec.id ? { id: spec.id } : {}) });
  return REMOTE_SOURCES[spec.type](spec.url ? { url: spec.url } : {});
}
