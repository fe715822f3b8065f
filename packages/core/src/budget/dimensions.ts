import { z } from "zod";
import { DIMENSIONS, type Dimension } from "./dimension-names.js";

export { DIMENSIONS, type Dimension };

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
