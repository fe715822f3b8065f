import type { ApiKeyRecord } from "@budget/core";
import { BudgetError, DIMENSIONS, type Dimensions, dimensionsSchema } from "@budget/core";
import { assertScope } from "../auth/auth.js";
import type { CallerHeaders } from "./caller-headers.js";

// Provider and model come from the upstream and the request; apiKey is the key's own id.
const NARROWABLE = DIMENSIONS.filter((d) => d !== "provider" && d !== "model" && d !== "apiKey");

/** The request header that sets dimension `d`: `x-budget-component`, `x-budget-task-type`, … */
export function dimensionHeader(d: string): string {
  return `x-budget-${d.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
}

const HEADERS = NARROWABLE.map((d) => [d, dimensionHeader(d)] as const);

// The dimensions of a key's calls that no header narrows: checked once per key record (the auth
// cache hands out the same record while it holds it), not on every call. Frozen: shared.
const keyOnly = new WeakMap<ApiKeyRecord, Dimensions>();

function narrows(headers: CallerHeaders): boolean {
  for (const [, header] of HEADERS) if (headers.get(header) !== null) return true;
  return headers.get("x-budget-tags") !== null;
}

/**
 * The dimensions of a gateway call: the key's own, narrowed by `x-budget-<dimension>` headers
 * (and `x-budget-tags`, comma-separated, added to the key's). A header may fill in what the key
 * leaves open, or pick one of a writer key's allowed components/projects; it may never change a
 * value the key fixes (`forbidden`). `apiKey` is the key's id.
 */
export function callerDimensions(key: ApiKeyRecord, headers: CallerHeaders): Dimensions {
  if (narrows(headers)) return dimensionsOf(key, headers);
  let dims = keyOnly.get(key);
  if (!dims) {
    dims = dimensionsOf(key, headers);
    if (dims.tags) Object.freeze(dims.tags);
    keyOnly.set(key, Object.freeze(dims));
  }
  return dims;
}

function dimensionsOf(key: ApiKeyRecord, headers: CallerHeaders): Dimensions {
  const dims: Record<string, unknown> = { ...key.dimensions, apiKey: key.dimensions?.apiKey ?? key.id };
  for (const [d, header] of HEADERS) {
    const value = headers.get(header);
    if (value === null) continue;
    const fixed = key.dimensions?.[d];
    if (fixed !== undefined && fixed !== value)
      throw new BudgetError(
        "forbidden",
        `${header}: this key's calls have ${d}=${fixed}; a header may only narrow`,
      );
    dims[d] = value;
  }
  const tags = headers.get("x-budget-tags");
  if (tags !== null) {
    const added = tags
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    dims.tags = [...new Set([...(key.dimensions?.tags ?? []), ...added])];
  }
  const parsed = dimensionsSchema.safeParse(dims);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BudgetError(
      "invalid_input",
      `x-budget-${issue?.path.join(".") ?? "header"}: ${issue?.message}`,
    );
  }
  assertScope(key, parsed.data);
  return parsed.data;
}

/**
 * `x-budget-candidates: gpt-4o-mini,claude-haiku-4-5`: other models the call may use, in order
 * after its own (budget-aware routing). At most 20, each a model name; a key that fixes `model`
 * may name no other (`forbidden`).
 */
export function callerCandidates(key: ApiKeyRecord, headers: CallerHeaders): string[] {
  const text = headers.get("x-budget-candidates");
  if (text === null) return [];
  const list = text
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  if (list.length > 20 || list.some((m) => m.length > 256))
    throw new BudgetError("invalid_input", "x-budget-candidates: at most 20 model names of 256 characters");
  const fixed = key.dimensions?.model;
  const other = list.find((m) => fixed !== undefined && m !== fixed);
  if (other !== undefined)
    throw new BudgetError(
      "forbidden",
      `x-budget-candidates: this key's calls have model=${fixed}, not ${other}`,
    );
  return list;
}
