import { DIMENSIONS, type Dimension, type Usage } from "@budget/core";
import { USAGE_FIELDS } from "@budget/core/store-kit";

/** SQL column of each dimension (`user` and `run` avoid reserved words). */
export const DIMENSION_COLUMNS: Readonly<Record<Dimension, string>> = {
  component: "component",
  provider: "provider",
  model: "model",
  tier: "tier",
  project: "project",
  user: "user_id",
  apiKey: "api_key",
  run: "run_id",
  worker: "worker",
  task: "task",
  taskType: "task_type",
};

/** SQL column of each usage field, e.g. `inputTokens` → `input_tokens`. */
export const USAGE_COLUMNS: Readonly<Record<keyof Usage, string>> = Object.fromEntries(
  USAGE_FIELDS.map((f) => [f, f.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)]),
) as Record<keyof Usage, string>;

/** Dimension columns in {@link DIMENSIONS} order. */
export const DIMENSION_COLUMN_LIST: readonly string[] = DIMENSIONS.map((d) => DIMENSION_COLUMNS[d]);

/** Usage columns in `USAGE_FIELDS` order. */
export const USAGE_COLUMN_LIST: readonly string[] = USAGE_FIELDS.map((f) => USAGE_COLUMNS[f]);
