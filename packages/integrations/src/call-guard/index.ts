export * from "../errors.js";
export * from "./call-hold.js";
export * from "./guard-options.js";
export * from "./guarded-promise.js";
export * from "./guarded-stream.js";
export * from "./resource-proxy.js";
export * from "./run-guarded.js";
