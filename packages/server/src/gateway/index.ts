export * from "./gateway-config.js";
export * from "./gateway-metrics.js";
export * from "./mount-gateway.js";
export * from "./upstream.js";
