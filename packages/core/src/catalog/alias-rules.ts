import { z } from "zod";

/**
 * An explicit alias rule: names the catalog does not list, resolved as another model on purpose
 * (`gemini-pro-latest` → `google/gemini-2.5-pro`, every `azure` OpenAI model at OpenAI's price).
 * Rules are the only way `-latest` names and cross-provider prices resolve: nothing is guessed.
 */
export const aliasRuleSchema = z
  .object({
    /** Provider the query names (any spelling: `azure_ai`, `bedrock`); absent: any or none. */
    provider: z.string().min(1).optional(),
    /** The model name asked for, case-insensitive; a trailing `*` matches any rest (`gpt-4o*`). */
    model: z.string().min(1),
    /** What the name resolves to; `model` absent keeps the name asked for. */
    to: z.object({ provider: z.string().min(1), model: z.string().min(1).optional() }).strict(),
  })
  .strict();

/** A parsed {@link aliasRuleSchema}. */
export type AliasRule = z.infer<typeof aliasRuleSchema>;

/** Whether a rule's model pattern matches a (lowercased) name. */
export function aliasRuleMatches(pattern: string, name: string): boolean {
  const p = pattern.trim().toLowerCase();
  return p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p;
}
