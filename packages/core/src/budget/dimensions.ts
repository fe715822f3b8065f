import { z } from "zod";

/** The usage dimensions a scope can select on, in a fixed order. */
export const DIMENSIONS = [
  "component",
  "provider",
  "model",
  "tier",
  "project",
  "user",
  "apiKey",
  "run",
  "worker",
  "task",
  "taskType",
] as const;

export type Dimension = (typeof DIMENSIONS)[number];

const dimensionValue = z.string().min(1).max(256);

/** Zod schema of the dimensions a usage event or reservation carries. */
export const dimensionsSchema = z
  .object({
    ...(Object.fromEntries(DIMENSIONS.map((d) => [d, dimensionValue.optional()])) as Record<
      Dimension,
      z.ZodOptional<typeof dimensionValue>
    >),
    tags: z.array(dimensionValue).max(32).optional(),
  })
  .strict();

/** Who and what a call belongs to: `{ component: "planner", model: "gpt-4o", worker: "w1" }`. */
export type Dimensions = z.infer<typeof dimensionsSchema>;
