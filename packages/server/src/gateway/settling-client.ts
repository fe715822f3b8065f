import { ESTIMATED_TAG } from "@budget/calls";
import {
  type BudgetClient,
  type BudgetEngine,
  type CommitResult,
  type Dimensions,
  isBudgetError,
} from "@budget/core";

/**
 * The part of the engine a gateway call uses (reserve, commit, release), with each commit's result
 * told to `onCommitted` (per-upstream tokens and spend) and whether its usage was estimated.
 *
 * A call outliving its reservation (a stream longer than the TTL: the sweep gave the hold back)
 * is still billed by the provider, so its commit becomes a record under the reserved dimensions
 * (`dimensionsOf`), with the commit's idempotency key so it counts once: usage is never dropped.
 */
export function settlingClient(
  engine: BudgetEngine,
  onCommitted: (result: CommitResult, estimated: boolean) => void,
  dimensionsOf: () => Dimensions,
): BudgetClient {
  const commitOrRecord: BudgetClient["commit"] = async (req) => {
    try {
      return await engine.commit(req);
    } catch (err) {
      if (!isBudgetError(err, "reservation_not_active")) throw err;
      const dims = dimensionsOf();
      const tags = [...new Set([...(dims.tags ?? []), ...(req.tags ?? [])])];
      return engine.record({
        dimensions: { ...dims, ...(req.model ? { model: req.model } : {}), ...(tags.length ? { tags } : {}) },
        usage: req.usage,
        idempotencyKey: req.idempotencyKey ?? `commit:${req.reservationId}`,
      });
    }
  };
  const client: Pick<BudgetClient, "reserve" | "commit" | "release"> = {
    reserve: (req) => engine.reserve(req),
    release: (id) => engine.release(id),
    async commit(req) {
      const result = await commitOrRecord(req);
      if (result.status === "committed") onCommitted(result, req.tags?.includes(ESTIMATED_TAG) === true);
      return result;
    },
  };
  // holdForCall uses only these three.
  return client as BudgetClient;
}
