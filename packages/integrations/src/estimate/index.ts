export * from "./estimate-usage.js";
export * from "./message-text.js";
export * from "./output-tally.js";
export * from "./request-estimate.js";
export * from "./token-counter.js";
