import { createBudgetApi, type FollowEventsOptions } from "@budget/client/api";

export type { LiveState } from "@budget/client/api";

/** Follows the server's live events with `key` (see `followEvents`); returns the disconnect. */
export function connectEvents({ key, ...options }: FollowEventsOptions & { key: string }): () => void {
  return createBudgetApi({ url: "", apiKey: key }).events(options);
}
