import { normalizeAiSdkUsage, type Usage } from "@budget/core";

/** A provider's usage, or null when it reported no counts at all (then the estimate is committed). */
export function usageOfAiSdk(raw: unknown): Partial<Usage> | null {
  const u = raw as
    | { inputTokens?: Record<string, unknown>; outputTokens?: Record<string, unknown> }
    | undefined;
  const counts = [...Object.values(u?.inputTokens ?? {}), ...Object.values(u?.outputTokens ?? {})];
  if (!counts.some((v) => typeof v === "number")) return null;
  return normalizeAiSdkUsage(raw).usage;
}
