export { chatStreamUsage, isUsageOnlyChunk } from "./chat-stream-usage.js";
export { messageStreamUsage } from "./message-stream-usage.js";
export { responsesStreamUsage } from "./responses-stream-usage.js";
export type { StreamUsage } from "./stream-usage.js";
