import type { DuplicateQuote } from "../identity/canonicalize-quotes.js";
import type { FieldChange } from "./diff-catalog.js";
import type { RemovedModel } from "./removals.js";
import type { AbsurdQuote } from "./validate-snapshot.js";

/** How one source fared in an update run. */
export interface SourceOutcome {
  id: string;
  ok: boolean;
  /** Why the source was refused (network, size, validation, drop share, …). */
  reason?: string;
  error?: string;
  /** Quotes received (before validation). */
  quotes: number;
  skipped: number;
  /** Entries left out as absurd while the rest of the feed was accepted. */
  dropped: AbsurdQuote[];
  /** Entries whose provider maps to no known provider (count and a sample): never stored. */
  unmapped?: { count: number; sample: string[] };
  /** Entries that name one canonical model: one kept, the rest dropped (`conflicting`: other prices). */
  duplicates?: DuplicateQuote[];
  durationMs: number;
}

/** A change that became a new price version. */
export interface AppliedChange {
  provider: string;
  model: string;
  versionId: string;
  closedVersionId: string | null;
  source: string;
  rule: string;
  changes: FieldChange[];
}

/** A change held for approval. */
export interface QuarantinedChange {
  pendingId: string;
  provider: string;
  model: string;
  reason: string;
  conflict: boolean;
  changes: FieldChange[];
  /** True when the same proposal was already pending or rejected: nothing new was stored. */
  repeated: boolean;
}

/** A source whose whole feed was refused; nothing from it was used. */
export interface RejectedSource {
  sourceId: string;
  reason: string;
  message: string;
}

/** The outcome of one update run. */
export interface UpdateReport {
  runId: string;
  startedAt: number;
  finishedAt: number;
  sources: SourceOutcome[];
  applied: AppliedChange[];
  quarantined: QuarantinedChange[];
  rejected: RejectedSource[];
  /** Models a source listed last time and no longer lists. */
  removed: RemovedModel[];
  /** Models left alone because a manual override is in force. */
  overridden: number;
  unchanged: number;
}

/** Progress of a run, for a progress bar. */
export interface UpdateProgress {
  phase: "fetch" | "validate" | "decide" | "apply" | "done";
  done: number;
  total: number;
  sourceId?: string;
}
