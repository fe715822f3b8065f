import type { z } from "zod";
import type { resolutionSchema } from "../wire/admin-schemas.js";
import type { NameStep } from "./model-name.js";
import type { IndexVia } from "./name-index.js";

/** How a name reached its model: an index entry, or an explicit alias rule. */
export type ResolutionRule = IndexVia | "alias_rule";

/** What a (provider, model) name resolves to at an instant, and why (its schema is the wire module's). */
export type Resolution = z.infer<typeof resolutionSchema>;

const STEP_TEXT: Record<NameStep, string> = {
  as_given: "",
  provider_prefix: "provider prefix removed",
  bedrock_region: "Bedrock region removed",
  bedrock_vendor: "Bedrock vendor removed",
  bedrock_version: "Bedrock version removed",
  vertex_date: "Vertex @date rewritten",
  date_suffix: "date suffix removed",
};

const RULE_TEXT: Record<ResolutionRule, string> = {
  id: "model id",
  alias: "declared alias",
  prefix: "declared prefix",
  shortened_id: "model id without its Bedrock/Vertex affixes",
  alias_rule: "alias rule",
};

/** The sentence of a resolution, e.g. `openai/gpt-4o via declared alias "gpt-4o-2024-08-06"`. */
export function reasonOf(r: Omit<Resolution, "reason">): string {
  const named = r.provider ? `${r.provider}/${r.model}` : r.model;
  if (!r.found) {
    return r.provider
      ? `unknown model: ${r.provider} lists no model named ${JSON.stringify(r.model)} (no cross-provider fallback without an alias rule)`
      : `unknown model: no provider lists ${JSON.stringify(r.model)}`;
  }
  const how = r.steps.filter((s) => s !== "as_given").map((s) => STEP_TEXT[s]);
  const via = r.rule ? `${RULE_TEXT[r.rule]} ${JSON.stringify(r.matched)}` : "";
  const target = `${r.found.provider}/${r.found.model}`;
  const priced = r.version
    ? `version ${r.version.id}`
    : `no price in force at ${new Date(r.at).toISOString()}`;
  return `${named} → ${target} via ${[...how, via].filter(Boolean).join(", then ")}: ${priced}`;
}
