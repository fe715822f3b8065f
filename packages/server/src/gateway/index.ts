export {
  defaultGatewayConfig,
  GATEWAY_APIS,
  type GatewayApi,
  type GatewayConfig,
  gatewayConfigSchema,
  type UpstreamConfig,
  upstreamSchema,
} from "./gateway-config.js";
export { createGatewayMetrics, type GatewayMetrics, type GatewayOutcome } from "./gateway-metrics.js";
export { type GatewayMount, type GatewayOptions, mountGateway } from "./mount-gateway.js";
export { resolveUpstreams, type Upstream } from "./upstream.js";
