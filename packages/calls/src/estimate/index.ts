export {
  DEFAULT_MAX_OUTPUT_TOKENS,
  type EstimateInput,
  estimateUsage,
  maxOutputTokensOf,
  TOKENS_PER_ATTACHMENT,
  type UsageEstimate,
} from "./estimate-usage.js";
export { contentOf, type PromptContent, promptContent } from "./message-text.js";
export { createOutputTally, type OutputTally, promptSide } from "./output-tally.js";
export {
  estimateChatRequest,
  estimateEmbeddingsRequest,
  estimateMessagesRequest,
  estimateResponsesRequest,
  type RequestEstimateOptions,
  withDefaultOutputCap,
  withOutputCap,
} from "./request-estimate.js";
export {
  type CountMethod,
  counterForMethod,
  HEURISTIC_CHARS_PER_TOKEN,
  heuristicTokenCount,
  type TokenCounter,
  tokenCounterFor,
} from "./token-counter.js";
