import { createContext } from "preact";
import { useContext } from "preact/hooks";

/**
 * Counters bumped by live events, per topic. A view lists the topics it shows in its effect
 * dependencies and reloads when one moves.
 */
export interface LiveTopics {
  usage: number;
  alerts: number;
  budgets: number;
  prices: number;
  runs: number;
}

/** The topics an SSE event type touches. */
export function topicsOf(type: string): (keyof LiveTopics)[] {
  switch (type) {
    case "usage":
      return ["usage", "runs"];
    case "threshold":
    case "alert":
    case "alert_ack":
      return ["alerts"];
    case "budget":
      return ["budgets"];
    case "price_change":
      return ["prices", "alerts"];
    case "resync":
      return ["usage", "alerts", "budgets", "prices", "runs"];
    default:
      return [];
  }
}

/** The initial counters. */
export const NO_EVENTS: LiveTopics = { usage: 0, alerts: 0, budgets: 0, prices: 0, runs: 0 };

/** Provides the live counters to views. */
export const LiveContext = createContext<LiveTopics>(NO_EVENTS);

/** The live counters. */
export function useLive(): LiveTopics {
  return useContext(LiveContext);
}

/** The window event a view dispatches after changing alerts itself (at once, before the `alert_ack` SSE event). */
export const ALERTS_CHANGED = "budget:alerts-changed";

/** Tells the shell (the nav badge) that alerts changed here. */
export function announceAlertsChanged(): void {
  dispatchEvent(new Event(ALERTS_CHANGED));
}
