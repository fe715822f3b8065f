import type { PriceVersion } from "../price/price.js";
import type { Resolution } from "./resolution.js";

/** A model name to resolve: the provider is optional (it can also be a prefix of `model`). */
export interface PriceQuery {
  provider?: string | undefined;
  model: string;
  /** Epoch ms: the instant whose price applies. */
  at: number;
}

/**
 * All prices over time. Resolves a (provider, model id) — aliases, dated ids, provider prefixes
 * such as `bedrock/`, `us.`, `openrouter/` — to the one price version in force at an instant.
 */
export interface Catalog {
  /** The version in force at `query.at`, or null when the model is unknown or unpriced then. */
  resolve(query: PriceQuery): PriceVersion | null;
  /** What `query` resolves to and why (the rule, the rewrites, the version), unknown included. */
  explain(query: PriceQuery): Resolution;
  /** A version by id (past versions included), for reports and reprice. */
  getVersion(id: string): PriceVersion | null;
  /** Every version, all models, all times. */
  versions(): readonly PriceVersion[];
}
