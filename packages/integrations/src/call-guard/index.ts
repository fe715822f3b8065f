export { BudgetExceededError, isBudgetExceededError } from "../errors.js";
export { type CallHold, ESTIMATED_TAG, holdForCall, type ReportedUsage } from "./call-hold.js";
export { type BudgetGuardOptions, type CallInfo, callProvider, withClientProvider } from "./guard-options.js";
export { type GuardedPromise, guardedPromise, type WithResponse } from "./guarded-promise.js";
export { guardIterable, guardSdkStream, type StreamHooks } from "./guarded-stream.js";
export { overrideClient, overrideResource } from "./resource-proxy.js";
export { type GuardedCall, runGuarded, type StreamUsage } from "./run-guarded.js";
