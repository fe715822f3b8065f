import { formatUsd } from "@budget/core/basics";

/**
 * Makes a value JSON-safe for scripts: `xNanoUsd` bigint fields become `xUsd` decimal strings
 * (money is never a float on the wire), other bigints become strings.
 *
 * @example toJsonValue({ costNanoUsd: 1500000n }) // { costUsd: "0.001500000" }
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith("NanoUsd") && typeof v === "bigint") out[`${key.slice(0, -7)}Usd`] = formatUsd(v);
    else if (v !== undefined) out[key] = toJsonValue(v);
  }
  return out;
}

/** Pretty JSON of {@link toJsonValue}. */
export function formatJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value), null, 2);
}
