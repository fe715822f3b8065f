import type { Dimensions } from "../budget/dimensions.js";
import type { Catalog } from "../catalog/catalog-port.js";
import { checkCapabilities } from "../price/capabilities.js";
import type { EngineContext } from "./context.js";
import { limitlessDenial, raiseDenialAlert } from "./denial.js";
import type { CandidateOutcome, ReserveResult } from "./requests.js";
import { attempt, type ParsedReserve } from "./reserve.js";

/**
 * Budget-aware routing: tries the candidates in order and holds the first that meets `requires`
 * and fits every matching budget — each try all-or-nothing, so a candidate that does not fit
 * leaves no hold. Says which was chosen and why each earlier one was not. When none fits, the
 * denial is the first budget denial (the most preferred model's), alerted once like any denial.
 * A soft limit's fallback model is not used: the candidates are the caller's own fallbacks.
 */
export async function reserveCandidate(
  ctx: EngineContext,
  catalog: Catalog,
  req: ParsedReserve,
  candidates: readonly { model: string; provider?: string | undefined }[],
): Promise<ReserveResult> {
  const at = ctx.clock.now();
  const outcomes: CandidateOutcome[] = [];
  let firstDenial: {
    result: Extract<ReserveResult, { status: "denied" }>;
    windowStart: number | null;
  } | null = null;
  for (const [i, c] of candidates.entries()) {
    const provider = c.provider ?? null;
    const dims: Dimensions = { ...req.dimensions, model: c.model };
    if (c.provider) dims.provider = c.provider;
    const base = { model: c.model, provider };
    if (req.requires) {
      const version = catalog.resolve({ provider: dims.provider, model: c.model, at });
      const check = checkCapabilities(version?.capabilities, req.requires);
      if (version && !check.ok) {
        const why = [...check.missing.map((m) => `lacks ${m}`), ...check.unknown.map((u) => `${u} unknown`)];
        outcomes.push({ ...base, outcome: "lacks_capabilities", reason: why.join(", "), ...check });
        continue;
      }
    }
    const tried = await attempt(ctx, { ...req, candidates: undefined }, dims, at);
    const r = tried.result;
    if (r.status === "allowed") {
      outcomes.push({ ...base, outcome: "chosen", reason: "fits every matching budget" });
      for (const rest of candidates.slice(i + 1))
        outcomes.push({
          model: rest.model,
          provider: rest.provider ?? null,
          outcome: "not_tried",
          reason: "an earlier candidate fits",
        });
      return { ...r, model: c.model, candidates: outcomes };
    }
    const d = r.denial;
    if (d.reason === "unknown_model") {
      outcomes.push({ ...base, outcome: "unknown_model", reason: d.message });
      firstDenial ??= { result: r, windowStart: null };
      continue;
    }
    outcomes.push({
      ...base,
      outcome: "denied",
      reason: d.message,
      ...(d.budgetId ? { budgetId: d.budgetId } : {}),
      ...(d.limitId ? { limitId: d.limitId } : {}),
    });
    if (!firstDenial || firstDenial.windowStart === null)
      firstDenial = { result: r, windowStart: tried.windowStart };
  }
  const denial =
    firstDenial?.result.denial ??
    limitlessDenial(
      "no_candidate",
      `no candidate meets the requirements: ${outcomes.map((o) => `${o.model} (${o.reason})`).join("; ")}`,
      { tokens: 0, costNanoUsd: 0n, requests: 0 },
    );
  if (firstDenial?.windowStart != null) await raiseDenialAlert(ctx, denial, firstDenial.windowStart, at);
  return { status: "denied", denial, candidates: outcomes };
}
