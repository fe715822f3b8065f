import {
  type Alert,
  type Amounts,
  type Budget,
  DIMENSIONS,
  type Dimensions,
  type PendingPriceChange,
  type PriceVersion,
  type Reservation,
  type RunRecord,
  type RunStarter,
  type Usage,
  type UsageEvent,
} from "@budget/core";
import { USAGE_FIELDS } from "@budget/core/store-kit";
import { DIMENSION_COLUMNS, USAGE_COLUMNS } from "../schema/columns.js";
import type { CountersTable, ReservationsTable } from "../schema/tables.js";
import { parseJson, stringifyJson, toBigint, toNullableNumber, toNumber } from "./convert.js";

type Row = Record<string, unknown>;

/** JSON form of amounts: cost as a decimal string of nano-USD. */
interface AmountsJson {
  tokens: number;
  costNanoUsd: string;
  requests: number;
}

function amountsToJson(a: Amounts): AmountsJson {
  return { tokens: a.tokens, costNanoUsd: a.costNanoUsd.toString(), requests: a.requests };
}

function amountsFromJson(a: AmountsJson): Amounts {
  return { tokens: a.tokens, costNanoUsd: BigInt(a.costNanoUsd), requests: a.requests };
}

/** A budget as a row: the definition as JSON, the timestamps as columns. */
export function budgetToRow(budget: Budget) {
  const { resetAt, createdAt, updatedAt, ...definition } = budget;
  return {
    id: budget.id,
    definition: JSON.stringify(definition),
    reset_at: resetAt,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

export function budgetFromRow(row: Row): Budget {
  return {
    ...parseJson<Omit<Budget, "resetAt" | "createdAt" | "updatedAt">>(row.definition),
    resetAt: toNullableNumber(row.reset_at),
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
}

export function counterFromRow(row: Row) {
  return {
    key: row.key as string,
    budgetId: row.budget_id as string,
    limitId: row.limit_id as string,
    partition: row.partition as string,
    windowStart: toNumber(row.window_start),
    windowEnd: toNullableNumber(row.window_end),
    used: {
      tokens: toNumber(row.used_tokens),
      costNanoUsd: toBigint(row.used_cost_nano),
      requests: toNumber(row.used_requests),
    },
    reserved: {
      tokens: toNumber(row.reserved_tokens),
      costNanoUsd: toBigint(row.reserved_cost_nano),
      requests: toNumber(row.reserved_requests),
    },
  };
}

export type CounterRow = CountersTable;

export function reservationToRow(r: Reservation): ReservationsTable {
  return {
    id: r.id,
    idempotency_key: r.idempotencyKey,
    status: r.status,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    dimensions: JSON.stringify(r.dimensions),
    estimate_tokens: r.estimate.tokens,
    estimate_cost_nano: r.estimate.costNanoUsd,
    estimate_requests: r.estimate.requests,
    price_version_id: r.priceVersionId,
    holds: JSON.stringify(r.holds.map((h) => ({ key: h.key, amounts: amountsToJson(h.amounts) }))),
  };
}

export function reservationFromRow(row: Row): Reservation {
  const holds = parseJson<{ key: string; amounts: AmountsJson }[]>(row.holds);
  return {
    id: row.id as string,
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    status: row.status as Reservation["status"],
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    dimensions: parseJson<Dimensions>(row.dimensions),
    estimate: {
      tokens: toNumber(row.estimate_tokens),
      costNanoUsd: toBigint(row.estimate_cost_nano),
      requests: toNumber(row.estimate_requests),
    },
    priceVersionId: (row.price_version_id as string | null) ?? null,
    holds: holds.map((h) => ({ key: h.key, amounts: amountsFromJson(h.amounts) })),
  };
}

export function eventFromRow(row: Row): UsageEvent {
  const dimensions: Dimensions = {};
  for (const d of DIMENSIONS) {
    const v = row[DIMENSION_COLUMNS[d]];
    if (typeof v === "string") dimensions[d] = v;
  }
  if (row.tags) dimensions.tags = parseJson<string[]>(row.tags);
  const usage = {} as Usage;
  for (const f of USAGE_FIELDS) usage[f] = toNumber(row[USAGE_COLUMNS[f]]);
  return {
    id: row.id as string,
    kind: row.kind as UsageEvent["kind"],
    time: toNumber(row.time),
    dimensions,
    usage,
    costNanoUsd: toBigint(row.cost_nano),
    priceVersionId: (row.price_version_id as string | null) ?? null,
    pricing: row.pricing as UsageEvent["pricing"],
    reservationId: (row.reservation_id as string | null) ?? null,
    idempotencyKey: row.idempotency_key as string,
  };
}

export function alertToRow(a: Alert) {
  return {
    id: a.id,
    dedupe_key: a.dedupeKey,
    type: a.type,
    severity: a.severity,
    time: a.time,
    message: a.message,
    data: stringifyJson(a.data),
    acknowledged_at: a.acknowledgedAt,
  };
}

export function alertFromRow(row: Row): Alert {
  return {
    id: row.id as string,
    dedupeKey: row.dedupe_key as string,
    type: row.type as Alert["type"],
    severity: row.severity as Alert["severity"],
    time: toNumber(row.time),
    message: row.message as string,
    data: parseJson<Record<string, unknown>>(row.data),
    acknowledgedAt: toNullableNumber(row.acknowledged_at),
  };
}

export function priceVersionToRow(p: PriceVersion) {
  return {
    id: p.id,
    provider: p.provider,
    model: p.model,
    effective_from: p.effectiveFrom,
    effective_to: p.effectiveTo,
    source: p.source,
    data: JSON.stringify(p),
  };
}

export function priceVersionFromRow(row: Row): PriceVersion {
  // effective_to is authoritative: closing a version updates only the column.
  return { ...parseJson<PriceVersion>(row.data), effectiveTo: toNullableNumber(row.effective_to) };
}

export function pendingToRow(p: PendingPriceChange) {
  return {
    id: p.id,
    status: p.status,
    created_at: p.createdAt,
    decided_at: p.decidedAt,
    provider: p.provider,
    model: p.model,
    proposed: JSON.stringify(p.proposed),
    evidence: stringifyJson(p.evidence),
  };
}

export function pendingFromRow(row: Row): PendingPriceChange {
  return {
    id: row.id as string,
    status: row.status as PendingPriceChange["status"],
    createdAt: toNumber(row.created_at),
    decidedAt: toNullableNumber(row.decided_at),
    provider: row.provider as string,
    model: row.model as string,
    proposed: parseJson<PriceVersion>(row.proposed),
    evidence: parseJson<Record<string, unknown>>(row.evidence),
  };
}

export function runToRow(r: RunRecord) {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    started_at: r.startedAt,
    ended_at: r.endedAt,
    config: stringifyJson(r.config),
    summary: stringifyJson(r.summary),
    started_by: r.startedBy ? stringifyJson(r.startedBy) : null,
  };
}

export function runFromRow(row: Row): RunRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    status: row.status as RunRecord["status"],
    startedAt: toNumber(row.started_at),
    endedAt: toNullableNumber(row.ended_at),
    config: parseJson<Record<string, unknown>>(row.config),
    summary: parseJson<Record<string, unknown>>(row.summary),
    ...(typeof row.started_by === "string" ? { startedBy: parseJson<RunStarter>(row.started_by) } : {}),
  };
}
