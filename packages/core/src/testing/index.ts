export * from "./csv-payloads.js";
export * from "./fixtures.js";
export * from "./store-contract.js";
