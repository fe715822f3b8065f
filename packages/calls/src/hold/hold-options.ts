import type { BudgetClient, CapabilityRequirements, Dimensions, ReserveWarning, Usage } from "@budget/core";

/** What a call is about, for deriving its dimensions. */
export interface CallInfo {
  provider: string;
  /** The model the caller asked for. */
  model: string;
  /** `chat.completions`, `responses`, `messages`, `generate`, `stream`. */
  operation: string;
}

/** How a call's reservation is made and settled: shared by the SDK wrappers and the gateway. */
export interface HoldOptions {
  /** The engine or the HTTP client: a hold depends on this interface only. */
  client: BudgetClient;
  /**
   * Dimensions of each call (component, project, user...); a function sees the call. `model` and
   * `provider` are filled in from the call unless given here.
   */
  dimensions?: Dimensions | ((call: CallInfo) => Dimensions);
  /**
   * Clamp instead of deny: when the estimate's output does not fit, reserve the most output tokens,
   * at least this many, that fit every token and cost limit (`CallHold.grantedOutputTokens`).
   */
  minOutputTokens?: number;
  /** Told about warn limits and thresholds passed by an allowed reservation. */
  onWarning?: (warnings: ReserveWarning[], call: CallInfo) => void;
  /**
   * Budget-aware routing: other models the call may use, in order after the one it asks for. The
   * reservation holds the first that fits every matching budget (and `requires`), and the call is
   * made with that model (`CallHold.model`).
   */
  candidates?: string[] | ((call: CallInfo) => string[]);
  /** What a candidate must offer (published capabilities; an unknown one does not qualify). */
  requires?: CapabilityRequirements;
  /** Reservation priority: `critical` may pass a soft limit (never a hard one). */
  priority?: "low" | "normal" | "high" | "critical";
  /** Reservation TTL (the engine's default when absent); set it above the longest call. */
  ttlMs?: number;
  /**
   * Called when committing or releasing fails after the provider answered (the budget service is
   * down, say). Without it, the failure is thrown to the caller, so usage is never lost silently.
   */
  onSettleError?: (error: unknown, call: CallInfo) => void;
  /**
   * Told after an estimate was committed in place of reported usage: a stream aborted, abandoned
   * or failed before the provider reported usage, or a response or stream that reported none.
   * The engine's ledger does not mark such events; log or count them here.
   */
  onEstimatedUsage?: (usage: Partial<Usage>, call: CallInfo) => void;
}
