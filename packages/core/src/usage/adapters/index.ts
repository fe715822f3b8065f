export {
  type AiSdkUsageOptions,
  type AiSdkUsageVersion,
  detectAiSdkUsageVersion,
  normalizeAiSdkUsage,
} from "./ai-sdk.js";
export {
  type AnthropicStreamUsage,
  createAnthropicStreamUsage,
  normalizeAnthropicUsage,
} from "./anthropic.js";
export { normalizeBedrockConverseUsage } from "./bedrock-converse.js";
export { normalizeGeminiUsage } from "./gemini.js";
export { normalizeGeminiInteractionsUsage } from "./gemini-interactions.js";
export {
  type NormalizeUsageOptions,
  normalizeUsage,
  USAGE_SHAPES,
  type UsageShape,
} from "./normalize-usage.js";
export { type NormalizedUsage, type NormalizeOptions, UNVERIFIED_TAG } from "./normalized.js";
export { normalizeOpenAiUsage } from "./openai.js";
export { normalizeOtelGenAiUsage, type OtelGenAiUsageOptions } from "./otel-genai.js";
export { type CallProvider, providerOfBaseUrl, providerOfCall } from "./provider-of-call.js";
