export { type CallHold, ESTIMATED_TAG, holdForCall } from "./call-hold.js";
export type { BudgetGuardOptions, CallInfo } from "./guard-options.js";
export { type GuardedPromise, guardedPromise, type WithResponse } from "./guarded-promise.js";
export { guardIterable, guardSdkStream, type StreamHooks } from "./guarded-stream.js";
export { overrideClient, overrideResource } from "./resource-proxy.js";
export { type GuardedCall, runGuarded, type StreamUsage } from "./run-guarded.js";
