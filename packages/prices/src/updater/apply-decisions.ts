import type { Alert, Clock, IdSource, PriceVersion, Store } from "@budget/core";
import type { PriceQuote } from "../sources/price-source.js";
import type { ChangeDecision } from "./decide-change.js";
import type { PriceBody } from "./rate-fields.js";
import type { UpdateProgress, UpdateReport } from "./update-report.js";

/** One model's decision, ready to carry out. */
export interface ModelDecision {
  current: PriceVersion | null;
  quote: PriceQuote;
  decision: ChangeDecision;
}

/** What {@link applyDecisions} needs. */
export interface ApplyContext {
  store: Store;
  clock: Clock;
  ids: IdSource;
  report: UpdateReport;
  decisions: ModelDecision[];
  alert: (a: Omit<Alert, "id" | "time" | "acknowledgedAt">) => Promise<void>;
  progress: (p: UpdateProgress) => void;
  signatureOf: (provider: string, model: string, body: PriceBody) => string;
}

/** Builds a version of `body` effective from `at`. */
export function versionOf(
  id: string,
  q: { provider: string; model: string },
  body: PriceBody,
  source: string,
  at: number,
): PriceVersion {
  const v: PriceVersion = {
    id,
    provider: q.provider,
    model: q.model,
    tokenRates: body.tokenRates,
    unitRates: body.unitRates,
    effectiveFrom: at,
    effectiveTo: null,
    source,
  };
  if (body.batchMultiplier !== undefined) v.batchMultiplier = body.batchMultiplier;
  if (body.schedule !== undefined && body.schedule.length > 0) v.schedule = body.schedule;
  if (body.capabilities !== undefined) v.capabilities = body.capabilities;
  return v;
}

/**
 * Carries out decisions: every applied change goes into ONE `savePriceVersions` call (new
 * versions effective now, previous ones closed now); quarantined ones become pending changes with
 * their evidence and an alert, unless the same proposal is already pending or was rejected.
 */
export async function applyDecisions(ctx: ApplyContext): Promise<void> {
  const { store, clock, ids, report } = ctx;
  const now = clock.now();
  const added: PriceVersion[] = [];
  const closed: { id: string; effectiveTo: number }[] = [];
  const known = new Map<string, string>();
  for (const p of await store.listPendingPriceChanges()) {
    const sig = p.evidence.signature;
    if (p.status !== "approved" && typeof sig === "string") known.set(sig, p.id);
  }
  let done = 0;
  for (const { current, quote, decision } of ctx.decisions) {
    ctx.progress({ phase: "apply", done: done++, total: ctx.decisions.length });
    if (decision.action === "none") report.unchanged += 1;
    else if (decision.action === "overridden") report.overridden += 1;
    else if (decision.action === "apply") {
      const v = versionOf(ids.next("pv"), quote, decision.body, decision.source, now);
      added.push(v);
      if (current) closed.push({ id: current.id, effectiveTo: now });
      report.applied.push({
        provider: v.provider,
        model: v.model,
        versionId: v.id,
        closedVersionId: current?.id ?? null,
        source: decision.source,
        rule: decision.rule,
        changes: decision.changes,
      });
    } else {
      const signature = ctx.signatureOf(quote.provider, quote.model, decision.body);
      const existing = known.get(signature);
      const pendingId = existing ?? ids.next("ppc");
      report.quarantined.push({
        pendingId,
        provider: quote.provider,
        model: quote.model,
        reason: decision.reason,
        conflict: decision.conflict,
        changes: decision.changes,
        repeated: existing !== undefined,
      });
      if (existing) continue;
      known.set(signature, pendingId);
      await store.savePendingPriceChange({
        id: pendingId,
        status: "pending",
        createdAt: now,
        decidedAt: null,
        provider: quote.provider,
        model: quote.model,
        proposed: versionOf(ids.next("pv"), quote, decision.body, decision.source, now),
        evidence: {
          ...decision.evidence,
          kind: current === null ? "new_model" : "change",
          sourceId: decision.source,
          runId: report.runId,
          reason: decision.reason,
          conflict: decision.conflict,
          signature,
        },
      });
      await ctx.alert({
        dedupeKey: `pending|${pendingId}`,
        type: decision.conflict ? "price_conflict" : "price_change",
        severity: "warning",
        message: `${quote.provider}/${quote.model}: ${decision.reason}`,
        data: { pendingId, provider: quote.provider, model: quote.model, changes: decision.changes },
      });
    }
  }
  if (added.length > 0) await store.savePriceVersions(added, closed);
  const changedCount = report.applied.filter((a) => a.closedVersionId !== null).length;
  if (changedCount > 0) {
    await ctx.alert({
      dedupeKey: `prices_applied|${report.runId}`,
      type: "price_change",
      severity: "info",
      message: `${changedCount} price(s) changed, ${added.length - changedCount} model(s) added`,
      data: { runId: report.runId, changed: changedCount, added: added.length - changedCount },
    });
  }
}
