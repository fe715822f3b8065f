export * from "./chat-stream-usage.js";
export * from "./message-stream-usage.js";
export * from "./responses-stream-usage.js";
export * from "./stream-usage.js";
