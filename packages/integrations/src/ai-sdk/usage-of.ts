import { type NormalizedUsage, normalizeAiSdkUsage } from "@budget/core";

/**
 * A provider's usage normalized under the call's provider label (fields it does not understand
 * tagged `unverified`), or null when it reported no counts at all (then the estimate is committed).
 */
export function usageOfAiSdk(raw: unknown, provider?: string): NormalizedUsage | null {
  const u = raw as
    | { inputTokens?: Record<string, unknown>; outputTokens?: Record<string, unknown> }
    | undefined;
  const counts = [...Object.values(u?.inputTokens ?? {}), ...Object.values(u?.outputTokens ?? {})];
  if (!counts.some((v) => typeof v === "number")) return null;
  return normalizeAiSdkUsage(raw, { unknownFields: "tag", ...(provider ? { provider } : {}) });
}
