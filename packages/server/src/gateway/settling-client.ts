import type { BudgetClient, BudgetEngine, CommitResult } from "@budget/core";
import { ESTIMATED_TAG } from "@budget/integrations/call-guard";

/**
 * The part of the engine a gateway call uses (reserve, commit, release), with each commit's result
 * told to `onCommitted` (per-upstream tokens and spend) and whether its usage was estimated.
 */
export function settlingClient(
  engine: BudgetEngine,
  onCommitted: (result: CommitResult, estimated: boolean) => void,
): BudgetClient {
  const client: Pick<BudgetClient, "reserve" | "commit" | "release"> = {
    reserve: (req) => engine.reserve(req),
    release: (id) => engine.release(id),
    async commit(req) {
      const result = await engine.commit(req);
      if (result.status === "committed") onCommitted(result, req.tags?.includes(ESTIMATED_TAG) === true);
      return result;
    },
  };
  // holdForCall uses only these three.
  return client as BudgetClient;
}
