export {
  BudgetExceededError,
  type CallHold,
  type CallInfo,
  ESTIMATED_TAG,
  type HoldOptions,
  holdForCall,
  isBudgetExceededError,
  type ReportedUsage,
} from "@budget/calls";
export { type BudgetGuardOptions, callProvider, withClientProvider } from "./guard-options.js";
export { type GuardedPromise, guardedPromise, type WithResponse } from "./guarded-promise.js";
export { guardIterable, guardSdkStream, type StreamHooks } from "./guarded-stream.js";
export { overrideClient, overrideResource } from "./resource-proxy.js";
export { type GuardedCall, runGuarded, type StreamUsage } from "./run-guarded.js";
