import { compareDecimal, mergeCapabilities, type PriceVersion, parseDecimal } from "@budget/core";
import type { PriceQuote } from "../sources/price-source.js";
import { type FieldChange, fieldChanges } from "./diff-catalog.js";
import { mergeOver, type PriceBody, priceFields, pricesOf, ratesAgree } from "./rate-fields.js";
import type { UpdatePolicy } from "./update-policy.js";

/** One source's quote of a model, with the source's trust. */
export interface Candidate {
  sourceId: string;
  trust: number;
  quote: PriceQuote;
  /** Fields the source never carries: their absence is silence, not removal. */
  partial?: ReadonlySet<string>;
}

/** What to do about one model. */
export type ChangeDecision =
  | { action: "none" }
  /** A manual override is in force and no override source quotes the model: leave it. */
  | { action: "overridden"; by: string }
  | {
      action: "apply";
      body: PriceBody;
      source: string;
      changes: FieldChange[];
      rule: string;
      evidence: Evidence;
    }
  | {
      action: "quarantine";
      body: PriceBody;
      source: string;
      changes: FieldChange[];
      conflict: boolean;
      reason: string;
      evidence: Evidence;
    };

/** Why a decision was taken: every source's view of the changed fields. */
export interface Evidence {
  current: { id: string; source: string } | null;
  sources: { sourceId: string; trust: number; values: Record<string, unknown>; agrees: boolean }[];
  changes: FieldChange[];
}

/**
 * Decides one model's fate under the policy: an override source applies outright; otherwise the
 * proposal with the most agreeing sources (then the most trusted) applies when enough sources agree
 * within the tolerance, or when one trusted source changes prices within bounds (or adds a new
 * model); anything else is quarantined. A quote replaces the version whole: a field it lacks is
 * removed (a change like any other), unless its source is declared partial for that field.
 */
export function decideChange(
  current: PriceVersion | null,
  candidates: readonly Candidate[],
  policy: UpdatePolicy,
  protectedSources: ReadonlySet<string>,
): ChangeDecision {
  const override = [...candidates]
    .sort((a, b) => b.trust - a.trust)
    .find((c) => c.trust >= policy.overrideTrust);
  if (override) {
    const changes = current ? fieldChanges(current, override.quote) : [];
    if (current && changes.length === 0) return { action: "none" };
    const evidence = evidenceOf(current, candidates, override, changes, policy);
    const capabilities = mergeCapabilities(current?.capabilities, override.quote.capabilities);
    return {
      action: "apply",
      body: { ...override.quote, capabilities },
      source: override.sourceId,
      changes,
      rule: "override",
      evidence,
    };
  }
  if (current && protectedSources.has(current.source)) return { action: "overridden", by: current.source };

  const proposals = candidates
    .map((c) => {
      const changes = current ? fieldChanges(current, c.quote, c.partial) : [];
      return { c, changes, supporters: supportersOf(c, changes, candidates, policy) };
    })
    .filter((p) => !current || p.changes.length > 0);
  if (proposals.length === 0) return { action: "none" };
  proposals.sort((a, b) => b.supporters.length - a.supporters.length || b.c.trust - a.c.trust);
  const best = proposals[0]!;
  const { c: leader, changes, supporters } = best;
  const dissenters = candidates.filter(
    (o) => !supporters.includes(o) && carriesAny(o, leader, changes, current),
  );
  const body = mergeOver(current, leader.quote, leader.partial);
  const evidence = evidenceOf(current, candidates, leader, changes, policy);
  const base = { body, source: leader.sourceId, changes, evidence };
  if (supporters.length >= policy.minAgreeingSources && supporters.length > dissenters.length) {
    return { action: "apply", ...base, rule: `${supporters.length} sources agree` };
  }
  if (dissenters.length === 0) {
    if (!current && policy.newModelQuarantineZero && pricedAtZero(leader.quote)) {
      return {
        action: "quarantine",
        ...base,
        conflict: false,
        reason: `new model priced at $0 by ${leader.sourceId} needs approval`,
      };
    }
    if (!current && policy.autoAddNewModels && leader.trust >= policy.newModelMinTrust) {
      return { action: "apply", ...base, rule: "new model from a trusted source" };
    }
    if (current && leader.trust >= policy.trustedMinTrust && withinBounds(changes, policy)) {
      return { action: "apply", ...base, rule: "trusted source within bounds" };
    }
  }
  const reason =
    dissenters.length > 0
      ? `sources disagree (${supporters.length} for, ${dissenters.length} against)`
      : current
        ? `change from ${leader.sourceId} (trust ${leader.trust}) needs approval`
        : `new model from ${leader.sourceId} (trust ${leader.trust}) needs approval`;
  return { action: "quarantine", ...base, conflict: dissenters.length > 0, reason };
}

/** Candidates carrying every changed field (or, for a new model, every field) within tolerance. */
function supportersOf(
  leader: Candidate,
  changes: FieldChange[],
  all: readonly Candidate[],
  policy: UpdatePolicy,
): Candidate[] {
  const mine = priceFields(leader.quote);
  const fields = changes.length > 0 ? changes.map((c) => c.field) : [...mine.keys()];
  return all.filter((o) => {
    if (o === leader) return true;
    const theirs = priceFields(o.quote);
    // A field the leader removes is shared by a source that speaks for it (carries it or not partial).
    const speaks = (f: string) => theirs.has(f) || (!mine.has(f) && !o.partial?.has(f));
    const shared = fields.filter(speaks);
    if (shared.length === 0 || (changes.length > 0 && shared.length < fields.length)) return false;
    return shared.every((f) => {
      const a = mine.get(f);
      const b = theirs.get(f);
      return a === undefined || b === undefined ? a === b : ratesAgree(a, b, policy.tolerance);
    });
  });
}

/** True when `other` quotes one of the fields the leader would change (so its silence is dissent). */
function carriesAny(
  other: Candidate,
  leader: Candidate,
  changes: FieldChange[],
  current: PriceVersion | null,
) {
  const theirs = priceFields(other.quote);
  const fields = current ? changes.map((c) => c.field) : [...priceFields(leader.quote).keys()];
  return fields.some((f) => theirs.has(f));
}

function withinBounds(changes: FieldChange[], policy: UpdatePolicy): boolean {
  return changes.every((c) => {
    if (c.from === null) return true; // a newly priced field
    if (c.changePct === null) return false; // from zero to a price: no ratio to bound
    return Math.abs(c.changePct) <= policy.trustedMaxChange * 100;
  });
}

function evidenceOf(
  current: PriceVersion | null,
  candidates: readonly Candidate[],
  leader: Candidate,
  changes: FieldChange[],
  policy: UpdatePolicy,
): Evidence {
  const fields = changes.length > 0 ? changes.map((c) => c.field) : [...priceFields(leader.quote).keys()];
  const mine = priceFields(leader.quote);
  return {
    current: current ? { id: current.id, source: current.source } : null,
    changes,
    sources: candidates.map((c) => {
      const theirs = priceFields(c.quote);
      const values = Object.fromEntries(fields.map((f) => [f, theirs.get(f) ?? null]));
      const agrees = fields.every((f) => {
        const a = mine.get(f);
        const b = theirs.get(f);
        return a === undefined || b === undefined || ratesAgree(a, b, policy.tolerance);
      });
      return { sourceId: c.sourceId, trust: c.trust, values, agrees };
    }),
  };
}

/** A quote whose input or output rate (base or any tier) is zero: a new model at $0 is suspect. */
function pricedAtZero(quote: PriceQuote): boolean {
  return (["input", "output"] as const).some((k) => {
    const rate = quote.tokenRates[k];
    return rate !== undefined && pricesOf(rate).some((p) => compareDecimal(parseDecimal(p), ZERO) === 0);
  });
}

const ZERO = parseDecimal("0");
