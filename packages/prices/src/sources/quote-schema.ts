import { priceVersionSchema } from "@budget/core";
import { z } from "zod";

/** Zod schema of a {@link PriceQuote}: a price version without id, dates and source. */
export const priceQuoteSchema = priceVersionSchema
  .pick({
    provider: true,
    model: true,
    tokenRates: true,
    unitRates: true,
    batchMultiplier: true,
    schedule: true,
    capabilities: true,
  })
  .extend({ aliases: z.array(z.string().min(1)).optional() });

/** A price file: `{ quotes: [...] }` or a bare array of quotes. */
export const priceFileSchema = z.union([
  z.object({ quotes: z.array(priceQuoteSchema) }),
  z.array(priceQuoteSchema).transform((quotes) => ({ quotes })),
]);
