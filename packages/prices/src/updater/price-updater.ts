import type { Alert, Clock, IdSource, PendingPriceChange, PriceVersion, Store } from "@budget/core";
import { BudgetError } from "@budget/core";
import { Cron } from "croner";
import { canonicalizeQuotes } from "../identity/canonicalize-quotes.js";
import { identityCatalog } from "../identity/identity-catalog.js";
import type { PriceSource } from "../sources/price-source.js";
import { applyDecisions } from "./apply-decisions.js";
import { collectSnapshots } from "./collect-snapshots.js";
import { type Candidate, decideChange } from "./decide-change.js";
import { modelKey } from "./diff-catalog.js";
import { signatureOf } from "./pending-signature.js";
import { handleRemovals } from "./removals.js";
import { type UpdatePolicyInput, updatePolicySchema } from "./update-policy.js";
import type { UpdateProgress, UpdateReport } from "./update-report.js";
import { validateSnapshot } from "./validate-snapshot.js";

/** Options of {@link createPriceUpdater}. */
export interface PriceUpdaterOptions {
  store: Store;
  sources: PriceSource[];
  policy?: UpdatePolicyInput;
  clock: Clock;
  ids: IdSource;
  onProgress?: (progress: UpdateProgress) => void;
  /** Provider ids to accept besides the catalog's and the listed ones (private deployments). */
  providers?: readonly string[];
}

/** Keeps the catalog current from its sources, under the update policy. */
export interface PriceUpdater {
  /** One update: fetch, validate, diff, decide, apply or quarantine. Concurrent calls share a run. */
  runOnce(signal?: AbortSignal): Promise<UpdateReport>;
  /** Runs on a cron schedule (croner syntax, e.g. `"0 *\/6 * * *"`); returns a stop function. */
  schedule(cron: string, onReport?: (report: UpdateReport) => void): () => void;
  /** Applies a pending change now (its proposed version becomes effective at approval time). */
  approve(id: string): Promise<PriceVersion>;
  /** Rejects a pending change; the same proposal is not quarantined again. */
  reject(id: string): Promise<PendingPriceChange>;
  /**
   * Approves or rejects, in one call, every pending change matching the filter (by source, by
   * provider, all of one update run; an empty filter matches every pending change).
   */
  decideMany(decision: "approved" | "rejected", filter: PendingFilter): Promise<BulkDecision>;
}

/** Which pending changes a bulk decision takes. */
export interface PendingFilter {
  sourceId?: string | undefined;
  provider?: string | undefined;
  runId?: string | undefined;
}

/** The outcome of a bulk decision. */
export interface BulkDecision {
  decision: "approved" | "rejected";
  /** Ids decided, in creation order. */
  ids: string[];
  /** Ids that matched but were decided by someone else meanwhile. */
  skipped: string[];
}

/** Whether a pending change matches a bulk filter. */
export function matchesPending(change: PendingPriceChange, filter: PendingFilter): boolean {
  const e = change.evidence;
  return (
    change.status === "pending" &&
    (filter.provider === undefined || change.provider === filter.provider) &&
    (filter.sourceId === undefined || (e.sourceId ?? change.proposed.source) === filter.sourceId) &&
    (filter.runId === undefined || e.runId === filter.runId)
  );
}

/**
 * Creates the price updater. Rejected feeds change nothing (an alert says why); applied changes
 * become new versions effective from the run's time, closing the previous ones.
 *
 * @example
 * const updater = createPriceUpdater({ store, sources: [createLitellmSource()], clock: systemClock, ids: randomIds });
 * const stop = updater.schedule("0 *\/6 * * *");
 */
export function createPriceUpdater(options: PriceUpdaterOptions): PriceUpdater {
  const { store, sources, clock, ids } = options;
  const policy = updatePolicySchema.parse(options.policy ?? {});
  const progress = options.onProgress ?? (() => {});
  const lastKeys = new Map<string, Set<string>>();
  let running: Promise<UpdateReport> | null = null;
  const protectedSources = new Set([
    "manual",
    ...sources.filter((s) => s.trust >= policy.overrideTrust).map((s) => s.id),
  ]);

  const alert = async (a: Omit<Alert, "id" | "time" | "acknowledgedAt">) => {
    await store.insertAlert({ ...a, id: ids.next("alr"), time: clock.now(), acknowledgedAt: null });
  };

  async function run(signal?: AbortSignal): Promise<UpdateReport> {
    const startedAt = clock.now();
    const runId = ids.next("pu");
    let fetched = 0;
    progress({ phase: "fetch", done: 0, total: sources.length });
    const collected = await collectSnapshots(sources, clock, signal, (o) => {
      fetched += 1;
      progress({ phase: "fetch", done: fetched, total: sources.length, sourceId: o.id });
    });
    const all = await store.listPriceVersions();
    const identity = identityCatalog(all);
    const inForce = new Map<string, PriceVersion>();
    for (const v of all) if (v.effectiveTo === null) inForce.set(modelKey(v), v);
    const report: UpdateReport = {
      runId,
      startedAt,
      finishedAt: startedAt,
      sources: collected.map((c) => c.outcome),
      applied: [],
      quarantined: [],
      rejected: [],
      removed: [],
      overridden: 0,
      unchanged: 0,
    };
    const candidates = new Map<string, Candidate[]>();
    const removed: { sourceId: string; key: string }[] = [];
    for (const [i, { source, snapshot, outcome }] of collected.entries()) {
      progress({ phase: "validate", done: i, total: collected.length, sourceId: source.id });
      if (!snapshot) {
        report.rejected.push({
          sourceId: source.id,
          reason: outcome.reason ?? "error",
          message: outcome.error ?? "",
        });
        continue;
      }
      const canonical = canonicalizeQuotes(snapshot.quotes, identity, {
        skipped: snapshot.skipped ?? [],
        providers: options.providers ?? [],
        declaresProviders: source.trust >= policy.overrideTrust,
      });
      outcome.unmapped = canonical.unmapped;
      outcome.duplicates = canonical.duplicates;
      const mapped = { ...snapshot, quotes: canonical.quotes };
      const previous = lastKeys.get(source.id) ?? keysFromSource(inForce, source.id);
      const verdict = validateSnapshot(mapped, previous, policy);
      if (!verdict.ok) {
        outcome.ok = false;
        outcome.reason = verdict.reason;
        outcome.error = verdict.message;
        report.rejected.push({ sourceId: source.id, reason: verdict.reason, message: verdict.message });
        continue;
      }
      outcome.dropped = verdict.dropped;
      const listed = new Set(mapped.quotes.map(modelKey));
      for (const key of previous ?? []) if (!listed.has(key)) removed.push({ sourceId: source.id, key });
      lastKeys.set(source.id, listed);
      for (const quote of verdict.quotes) {
        const key = modelKey(quote);
        const list = candidates.get(key) ?? [];
        list.push({ sourceId: source.id, trust: source.trust, quote, partial: partialOf(source) });
        candidates.set(key, list);
      }
    }
    for (const r of report.rejected) {
      await alert({
        dedupeKey: `source_failure|${r.sourceId}|${r.reason}|${Math.floor(startedAt / 86_400_000)}`,
        type: "source_failure",
        severity: "warning",
        message: `price source ${r.sourceId} refused: ${r.message}`,
        data: { sourceId: r.sourceId, reason: r.reason, runId },
      });
    }
    progress({ phase: "decide", done: 0, total: candidates.size });
    const decisions = [...candidates].map(([key, list]) => {
      const current = inForce.get(key) ?? null;
      return {
        key,
        current,
        quote: list[0]!.quote,
        decision: decideChange(current, list, policy, protectedSources),
      };
    });
    await applyDecisions({ store, clock, ids, report, decisions, alert, progress, signatureOf });
    const quoted = new Set(candidates.keys());
    await handleRemovals({ store, clock, ids, policy, report, inForce, quoted, alert }, removed);
    report.finishedAt = clock.now();
    progress({ phase: "done", done: 1, total: 1 });
    return report;
  }

  return {
    runOnce(signal) {
      running ??= run(signal).finally(() => {
        running = null;
      });
      return running;
    },
    schedule(cron, onReport) {
      const job = new Cron(cron, { protect: true }, async () => {
        const report = await this.runOnce().catch(() => null);
        if (report && onReport) onReport(report);
      });
      return () => job.stop();
    },
    async approve(id) {
      const change = await findPending(store, id);
      const now = clock.now();
      if (!(await store.decidePendingPriceChange(id, "approved", now))) {
        throw new BudgetError("conflict", `price change ${id} is no longer pending`);
      }
      return applyApproved(store, change, now);
    },
    async decideMany(decision, filter) {
      const matching = (await store.listPendingPriceChanges({ status: "pending" }))
        .filter((c) => matchesPending(c, filter))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
      const out: BulkDecision = { decision, ids: [], skipped: [] };
      const now = clock.now();
      for (const change of matching) {
        if (!(await store.decidePendingPriceChange(change.id, decision, now))) {
          out.skipped.push(change.id);
          continue;
        }
        if (decision === "approved") await applyApproved(store, change, now);
        out.ids.push(change.id);
      }
      return out;
    },
    async reject(id) {
      const change = await findPending(store, id);
      const now = clock.now();
      if (!(await store.decidePendingPriceChange(id, "rejected", now))) {
        throw new BudgetError("conflict", `price change ${id} is no longer pending`);
      }
      return { ...change, status: "rejected", decidedAt: now };
    },
  };
}

const partials = new WeakMap<PriceSource, ReadonlySet<string>>();
function partialOf(source: PriceSource): ReadonlySet<string> {
  let set = partials.get(source);
  if (!set) {
    set = new Set(source.partialFields ?? []);
    partials.set(source, set);
  }
  return set;
}

/** Carries out an approved change: a new version effective now, or (a removal) the version closed now. */
async function applyApproved(store: Store, change: PendingPriceChange, now: number): Promise<PriceVersion> {
  const current = (await store.listPriceVersions({ provider: change.provider, model: change.model })).find(
    (v) => v.effectiveTo === null,
  );
  if (change.evidence.kind === "removal") {
    if (current?.id === change.proposed.id)
      await store.savePriceVersions([], [{ id: current.id, effectiveTo: now }]);
    return { ...change.proposed, effectiveTo: now };
  }
  const version: PriceVersion = { ...change.proposed, effectiveFrom: now, effectiveTo: null };
  await store.savePriceVersions([version], current ? [{ id: current.id, effectiveTo: now }] : []);
  return version;
}

function keysFromSource(inForce: Map<string, PriceVersion>, sourceId: string): Set<string> | null {
  const keys = new Set<string>();
  for (const [k, v] of inForce) if (v.source === sourceId) keys.add(k);
  return keys.size > 0 ? keys : null;
}

async function findPending(store: Store, id: string): Promise<PendingPriceChange> {
  const change = (await store.listPendingPriceChanges()).find((c) => c.id === id);
  if (!change) throw new BudgetError("not_found", `price change ${id} not found`);
  if (change.status !== "pending")
    throw new BudgetError("conflict", `price change ${id} is already ${change.status}`);
  return change;
}
