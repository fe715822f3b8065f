export * from "./fixtures.js";
export * from "./store-contract.js";
