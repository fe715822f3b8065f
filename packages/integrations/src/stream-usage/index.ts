// The documented `@budget/integrations/stream-usage` subpath: the accumulators live in `@budget/calls`.
export {
  chatStreamUsage,
  isUsageOnlyChunk,
  messageStreamUsage,
  responsesStreamUsage,
  type StreamUsage,
} from "@budget/calls/stream-usage";
