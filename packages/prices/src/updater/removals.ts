import type { Alert, Clock, IdSource, PriceVersion, Store } from "@budget/core";
import type { UpdatePolicy } from "./update-policy.js";
import type { UpdateReport } from "./update-report.js";

/** A model a source listed last time and no longer lists. */
export interface RemovedModel {
  sourceId: string;
  provider: string;
  model: string;
  /** The version in force, or null when none is. */
  versionId: string | null;
  /**
   * `closed`: its version (from this source) was closed now; `quarantined`: a pending removal
   * waits for approval; `kept`: the version in force comes from another source, or another source
   * still quotes the model, or the policy keeps removed models.
   */
  action: "closed" | "quarantined" | "kept";
  pendingId?: string;
}

/** What {@link handleRemovals} needs. */
export interface RemovalContext {
  store: Store;
  clock: Clock;
  ids: IdSource;
  policy: UpdatePolicy;
  report: UpdateReport;
  inForce: ReadonlyMap<string, PriceVersion>;
  /** Models some source quotes in this run: still priced somewhere, not removed. */
  quoted: ReadonlySet<string>;
  alert: (a: Omit<Alert, "id" | "time" | "acknowledgedAt">) => Promise<void>;
}

/**
 * Removals are changes: each model a source dropped is reported, raises one alert, and — when its
 * version in force came from that source and no other source quotes it — is closed now
 * (`onRemoved: "close"`), held as a pending removal (`"quarantine"`, the default) or left (`"keep"`).
 * Closing sets `effectiveTo`: costs before it keep their version.
 */
export async function handleRemovals(ctx: RemovalContext, removed: { sourceId: string; key: string }[]) {
  const { store, clock, ids, report, policy } = ctx;
  const now = clock.now();
  const closed: { id: string; effectiveTo: number }[] = [];
  const known = new Set(
    (await store.listPendingPriceChanges())
      .filter((p) => p.status !== "approved")
      .map((p) => p.evidence.signature)
      .filter((s): s is string => typeof s === "string"),
  );
  for (const { sourceId, key } of removed) {
    const [provider = "", model = ""] = key.split("\u0000");
    const v = ctx.inForce.get(key) ?? null;
    const entry: RemovedModel = { sourceId, provider, model, versionId: v?.id ?? null, action: "kept" };
    report.removed.push(entry);
    const own = v !== null && v.source === sourceId && !ctx.quoted.has(key);
    if (own && policy.onRemoved === "close") {
      closed.push({ id: v.id, effectiveTo: now });
      entry.action = "closed";
    } else if (own && policy.onRemoved === "quarantine") {
      const signature = `removed|${sourceId}|${v.id}`;
      entry.action = "quarantined";
      if (known.has(signature)) continue;
      entry.pendingId = ids.next("ppc");
      await store.savePendingPriceChange({
        id: entry.pendingId,
        status: "pending",
        createdAt: now,
        decidedAt: null,
        provider,
        model,
        proposed: v,
        evidence: {
          kind: "removal",
          sourceId,
          runId: report.runId,
          signature,
          reason: `${sourceId} no longer lists it`,
        },
      });
    }
    await ctx.alert({
      dedupeKey: `removed|${sourceId}|${key}|${v?.id ?? ""}`,
      type: "price_change",
      severity: "warning",
      message: `${provider}/${model}: removed from ${sourceId} (${entry.action})`,
      data: { ...entry, runId: report.runId },
    });
  }
  if (closed.length > 0) await store.savePriceVersions([], closed);
}
