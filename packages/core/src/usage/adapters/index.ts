export * from "./ai-sdk.js";
export * from "./anthropic.js";
export * from "./gemini.js";
export * from "./normalize-usage.js";
export type { NormalizedUsage } from "./normalized.js";
export * from "./openai.js";
export * from "./otel-genai.js";
